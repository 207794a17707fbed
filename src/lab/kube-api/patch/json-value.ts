/** Plain JSON values as the patch engines see them (objects from JSON.parse or YAML). */

export type JsonObject = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A deep copy, so callers' inputs are never mutated. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Freezes a value and everything in it, so no code path can change it by accident (mutation throws in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Structural equality of JSON values; object key order is ignored, array order is not, an `undefined` property equals an absent one. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  const other = Object.keys(b).filter((k) => b[k] !== undefined);
  return keys.length === other.length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
}

/** The JSON type of a value, named as Go's encoding/json names it in error messages. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}

/** A Go-like rendering of a value for the few messages the real server prints with `%v`. */
export function goString(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goString).join(" ")}]`;
  if (isObject(value))
    return `map[${Object.keys(value)
      .sort()
      .map((k) => `${k}:${goString(value[k])}`)
      .join(" ")}]`;
  if (value === null || value === undefined) return "<nil>";
  return String(value);
}
