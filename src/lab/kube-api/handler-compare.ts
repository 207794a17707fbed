import type { KubeObject, ResourceType } from "./types.js";

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => jsonEqual(v, other[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const SERVER_OWNED = [
  "managedFields",
  "resourceVersion",
  "uid",
  "creationTimestamp",
  "generation",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
];

/** The part of an object a write can change, given where it is written (main resource or status). */
function writable(type: ResourceType, object: KubeObject, subresource: "status" | undefined): unknown {
  if (subresource === "status") return object.status;
  const { status, metadata, ...rest } = object;
  const meta = Object.fromEntries(Object.entries(metadata ?? {}).filter(([k]) => !SERVER_OWNED.includes(k)));
  return { ...rest, metadata: meta, ...(type.subresources.status ? {} : { status }) };
}

/**
 * Whether writing `next` over `live` changes anything the store would keep. A no-op write must
 * leave managedFields (and so the resourceVersion) alone, or kubectl prints "patched" instead of
 * "patched (no change)".
 */
export function changesObject(type: ResourceType, live: KubeObject, next: KubeObject, subresource: "status" | undefined): boolean {
  return !jsonEqual(writable(type, live, subresource), writable(type, next, subresource));
}
