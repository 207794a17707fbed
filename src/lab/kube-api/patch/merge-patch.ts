import { clone, isObject } from "./json-value.js";

/**
 * RFC 7386 JSON merge patch: objects merge key by key, `null` removes a key, anything else
 * (arrays included) replaces the target. Neither input is mutated.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  // Untouched branches are still shared with `target`; copy them so the result is independent.
  for (const key of Object.keys(result)) if (!(key in patch)) result[key] = clone(result[key]);
  return result;
}
