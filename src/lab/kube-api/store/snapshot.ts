/**
 * A resource's objects as they were at an earlier resourceVersion, rebuilt from the current ones by
 * undoing the newer history entries: what etcd answers for a list at an exact revision (a
 * `resourceVersionMatch=Exact` list, a paged list's later pages, a reflector's relist with limit).
 */
import type { KubeObject } from "../types.js";
import type { HistoryEntry } from "./history.js";
import { objectKey } from "./objects.js";

/** `current` keyed by objectKey; `newer` every entry of this resource after the wanted resourceVersion, oldest first. */
export function objectsAt(current: ReadonlyMap<string, KubeObject>, newer: HistoryEntry[]): Map<string, KubeObject> {
  const state = new Map(current);
  for (let i = newer.length - 1; i >= 0; i--) {
    const entry = newer[i] as HistoryEntry;
    const key = objectKey(entry.object.metadata.namespace, entry.object.metadata.name ?? "");
    if (entry.old) state.set(key, entry.old);
    else state.delete(key);
  }
  return state;
}
