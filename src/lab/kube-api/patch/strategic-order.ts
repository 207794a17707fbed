/**
 * Element order of merged lists, as the real strategic merge patch decides it: items named by the
 * patch (or by `$setElementOrder`) keep that order, server-only items keep theirs, and the two are
 * interleaved by their positions in the live list.
 */

import { deepEqual } from "./json-value.js";

/** What identifies an item: its merge key value, or the value itself for a list of scalars. */
export type ItemKey = (item: unknown) => unknown;

function indexIn(list: readonly unknown[], item: unknown, keyOf: ItemKey): number {
  const key = keyOf(item);
  return list.findIndex((other) => deepEqual(keyOf(other), key));
}

/** Merges two ordered lists; `left` items go first only where the live order says so. */
function mergeSorted(left: unknown[], right: unknown[], liveOrder: readonly unknown[], keyOf: ItemKey): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(liveOrder, left[i], keyOf);
      const ri = indexIn(liveOrder, right[j], keyOf);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/**
 * Orders `merged`: items present in `wanted` (the patch list or `$setElementOrder`) in that order,
 * the rest in their live order, interleaved as the real server does.
 */
export function orderItems(merged: readonly unknown[], wanted: readonly unknown[], live: readonly unknown[], keyOf: ItemKey): unknown[] {
  const named: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) (indexIn(wanted, item, keyOf) >= 0 ? named : serverOnly).push(item);
  const position = (item: unknown): number => indexIn(wanted, item, keyOf);
  named.sort((a, b) => position(a) - position(b));
  return mergeSorted(serverOnly, named, live, keyOf);
}

/** True when the items of `patch` appear in `order` in the same relative order (a `$setElementOrder` check). */
export function followsOrder(patch: readonly unknown[], order: readonly unknown[], keyOf: ItemKey): boolean {
  let at = 0;
  for (const item of patch) {
    const key = keyOf(item);
    while (at < order.length && !deepEqual(keyOf(order[at]), key)) at++;
    if (at >= order.length) return false;
    at++;
  }
  return true;
}
