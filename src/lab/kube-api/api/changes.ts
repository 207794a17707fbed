import { deepEqual } from "../patch/json-value.js";
import type { KubeObject, ResourceType } from "../types.js";

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
  return !deepEqual(writable(type, live, subresource), writable(type, next, subresource));
}
