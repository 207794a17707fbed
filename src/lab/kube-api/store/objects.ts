/** Small pure helpers the object store is built from: keys, names, ordering, time (copies and equality are in patch/json-value). */

import { randomInt } from "node:crypto";
import { deepEqual } from "../patch/json-value.js";
import type { KubeObject, ResourceType } from "../types.js";

/** Identifies a resource independent of the version it is served in: `longhorn.io/nodes`, `/pods`. */
export const typeKey = (type: Pick<ResourceType, "group" | "resource">): string => `${type.group}/${type.resource}`;

/** Identifies an object within one resource; cluster-scoped objects have an empty namespace part. */
export const objectKey = (namespace: string | undefined, name: string): string => `${namespace ?? ""}/${name}`;

/** The characters Kubernetes uses for generateName suffixes (no vowels, no look-alikes). */
const suffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

/** A random 5-character suffix, as the real server appends to `generateName`. */
export function randomSuffix(): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += suffixAlphabet[randomInt(suffixAlphabet.length)];
  return suffix;
}

/** RFC 3339 with whole seconds, as Kubernetes serialises `metav1.Time`: `2024-05-01T10:00:00Z`. */
export const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, "Z");

/** Whether anything outside `metadata` (and `status`, when it is a subresource) differs: what bumps `generation`. */
export function specChanged(before: KubeObject, after: KubeObject, statusIsSubresource: boolean): boolean {
  const ignored = new Set(["apiVersion", "kind", "metadata", ...(statusIsSubresource ? ["status"] : [])]);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) if (!ignored.has(key) && !deepEqual(before[key], after[key])) return true;
  return false;
}

/** Orders list items by namespace, then name, as the real server's etcd keys do. */
export function compareByNamespaceAndName(a: KubeObject, b: KubeObject): number {
  const byNamespace = compareStrings(a.metadata.namespace ?? "", b.metadata.namespace ?? "");
  return byNamespace !== 0 ? byNamespace : compareStrings(a.metadata.name ?? "", b.metadata.name ?? "");
}

// Byte order like etcd, not locale order.
const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
