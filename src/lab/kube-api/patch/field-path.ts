/**
 * Field paths as managedFields spell them: one element per step, `f:<field>`, `k:<key fields as
 * JSON>` for an item of a keyed list, `v:<value as JSON>` for an item of a set, `i:<index>`.
 */

import { isObject } from "./json-value.js";

/** One step of a field path, in its fieldsV1 spelling (`f:spec`, `k:{"name":"nginx"}`). */
export type PathElement = string;
export type FieldPath = readonly PathElement[];

/** `f:<name>`: a field of a map or struct. */
export const fieldElement = (name: string): PathElement => `f:${name}`;
/** `v:<value as JSON>`: an item of a set. */
export const valueElement = (value: unknown): PathElement => `v:${JSON.stringify(value)}`;
/** `i:<index>`: an item known only by its position. */
export const indexElement = (index: number): PathElement => `i:${index}`;

/** The `k:` element of a keyed list item (key fields in name order), or `i:<index>` when it has none. */
export function keyElement(item: unknown, keys: readonly string[], index: number): PathElement {
  if (!isObject(item)) return indexElement(index);
  const present = [...keys].filter((k) => item[k] !== undefined && item[k] !== null).sort();
  if (!present.length) return indexElement(index);
  return `k:${JSON.stringify(Object.fromEntries(present.map((k) => [k, item[k]])))}`;
}

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Orders elements as structured-merge-diff does: fields by name, then keys, values, indexes. */
export function compareElements(a: PathElement, b: PathElement): number {
  const rank = (RANK[a[0] ?? ""] ?? 4) - (RANK[b[0] ?? ""] ?? 4);
  if (rank !== 0) return rank;
  if (a.startsWith("i:") && b.startsWith("i:")) return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A path as the real server prints it in conflicts: `.spec.containers[name="nginx"].image`. */
export function formatPath(path: FieldPath): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      switch (element[0]) {
        case "f":
          return `.${body}`;
        case "k": {
          const key = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(key)
            .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
            .join(",")}]`;
        }
        case "v":
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join("");
}
