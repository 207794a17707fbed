import type { z } from "zod";

/**
 * When the only schema problems are unknown keys, drops them and parses again,
 * so the deeper checks can still run and report everything in one go.
 */
export function parseIgnoringUnknownKeys<T>(schema: z.ZodType<T>, data: unknown, issues: z.core.$ZodIssue[]): T | undefined {
  if (!issues.every((i) => i.code === "unrecognized_keys")) return undefined;
  const copy = structuredClone(data);
  for (const issue of issues) {
    let target: unknown = copy;
    for (const seg of issue.path) target = (target as Record<PropertyKey, unknown>)?.[seg as PropertyKey];
    if (target && typeof target === "object" && issue.code === "unrecognized_keys") {
      for (const key of issue.keys) delete (target as Record<string, unknown>)[key];
    }
  }
  const again = schema.safeParse(copy);
  return again.success ? again.data : undefined;
}
