import type { z } from "zod";
import { pathToString } from "./diagnostics.js";

/** A stand-in value for a required field, so the rules can look at the rest of the document. */
export type Placeholder = (path: readonly PropertyKey[]) => unknown;

export interface Repaired<T> {
  value: T;
  /** Dotted paths that were dropped or stood in for; rule findings below them are noise. */
  repaired: string[];
}

const MAX_ROUNDS = 6;

/**
 * After schema problems, makes a copy the schema accepts so the deeper checks can still run and
 * every problem is reported in one go: unknown keys and bad optional values are dropped, bad
 * required values get a placeholder. Gives up (undefined) when only removing a list item would do,
 * since that would shift the positions of everything after it.
 */
export function repairForRules<T>(
  schema: z.ZodType<T>,
  data: unknown,
  issues: z.core.$ZodIssue[],
  placeholder: Placeholder = () => undefined,
): Repaired<T> | undefined {
  const copy = structuredClone(data);
  if (!copy || typeof copy !== "object") return undefined;
  const repaired: string[] = [];
  let current = issues;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    for (const issue of current) {
      const path = issue.path as PropertyKey[];
      if (issue.code === "unrecognized_keys") {
        const target = valueAt(copy, path);
        if (target && typeof target === "object") for (const key of issue.keys) delete (target as Record<string, unknown>)[key];
        continue;
      }
      const stand = placeholder(path);
      if (stand !== undefined && path.length > 0) {
        const parent = valueAt(copy, path.slice(0, -1));
        if (parent && typeof parent === "object") {
          (parent as Record<PropertyKey, unknown>)[path.at(-1) as PropertyKey] = stand;
          repaired.push(pathToString(path));
          continue;
        }
      }
      // Drop the bad value; when it is already absent (a required field), drop what holds it.
      const drop = valueAt(copy, path) === undefined ? path.slice(0, -1) : path;
      const last = drop.at(-1);
      if (drop.length === 0 || typeof last === "number") {
        // Dropping a list item would shift every position after it: keep it, with a stand-in for the missing field.
        const typed = typedStandIn(issue, valueAt(copy, path));
        const holder = valueAt(copy, path.slice(0, -1));
        if (typed === undefined || !holder || typeof holder !== "object") return undefined;
        (holder as Record<PropertyKey, unknown>)[path.at(-1) as PropertyKey] = typed;
        repaired.push(pathToString(path));
        continue;
      }
      const parent = valueAt(copy, drop.slice(0, -1));
      if (!parent || typeof parent !== "object" || Array.isArray(parent)) return undefined;
      delete (parent as Record<PropertyKey, unknown>)[last as PropertyKey];
      repaired.push(pathToString(drop));
    }
    const again = schema.safeParse(copy);
    if (again.success) return { value: again.data, repaired };
    current = again.error.issues;
  }
  return undefined;
}

/**
 * A neutral value of the expected type for a required field that is missing, so a list item
 * missing one field is kept (dropping it would shift every position after it) and the rest of
 * the file is still checked; findings under it are filtered as repaired.
 */
function typedStandIn(issue: z.core.$ZodIssue, current: unknown): unknown {
  if (issue.code !== "invalid_type" || current !== undefined) return undefined;
  const byType: Record<string, unknown> = { string: "invalid", number: 0, int: 0, boolean: false, array: [], object: {} };
  return byType[issue.expected];
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/**
 * True when a finding touches a repaired path: at or below it (about the stand-in), or at what
 * holds it (e.g. "step has no action" after its malformed action was dropped).
 */
export function underRepaired(path: string, repaired: readonly string[]): boolean {
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return repaired.some((r) => within(path, r) || (path !== "" && within(r, path)));
}
