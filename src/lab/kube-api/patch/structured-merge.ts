/**
 * The object side of server-side apply: merging an applied configuration into the live object and
 * pruning what the applier stopped applying, following the same list rules as field ownership.
 */

import { type FieldPath, keyElement, valueElement } from "./field-path.js";
import type { FieldSet } from "./field-set.js";
import { clone, deepEqual, isObject, type JsonObject } from "./json-value.js";
import type { KindSchema } from "./schema.js";

type Types = readonly string[];

/** Strips `null`s (an applied null unsets a field) from a value taken whole. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return clone(value);
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === null ? [] : [[k, withoutNulls(v)]])));
}

/** Live merged with config: maps key by key, keyed lists by key, sets by value, anything else replaced. */
export function mergeApplied(live: unknown, config: unknown, schema: KindSchema, types: Types = []): unknown {
  if (config === undefined) return clone(live);
  if (config === null) return undefined;
  if (isObject(config)) {
    if (types.length && schema.atomicMap(types)) return withoutNulls(config);
    const result: JsonObject = isObject(live) ? clone(live) : {};
    for (const [key, value] of Object.entries(config)) {
      const merged = mergeApplied(result[key], value, schema, [...types, key]);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    }
    return result;
  }
  if (!Array.isArray(config)) return config;
  const kind = schema.list(types);
  if (kind.type === "atomic") return withoutNulls(config);
  const result = Array.isArray(live) ? clone(live) : [];
  if (kind.type === "set") {
    for (const item of config) if (!result.some((r) => deepEqual(r, item))) result.push(clone(item));
    return result;
  }
  const elementOf = (item: unknown, index: number) => keyElement(item, kind.keys, index);
  config.forEach((item, index) => {
    const element = elementOf(item, index);
    const at = result.findIndex((r, i) => elementOf(r, i) === element);
    const merged = mergeApplied(at >= 0 ? result[at] : undefined, item, schema, [...types, "[]"]);
    if (at >= 0) result[at] = merged;
    else result.push(merged);
  });
  return result;
}

/** Finds the container and the slot a field path names. */
function locate(root: unknown, path: FieldPath, schema: KindSchema): { parent: JsonObject | unknown[]; slot: string | number } | undefined {
  let node: unknown = root;
  let types: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const element = path[i] as string;
    let parent: JsonObject | unknown[];
    let slot: string | number;
    if (element.startsWith("f:")) {
      if (!isObject(node)) return undefined;
      parent = node;
      slot = element.slice(2);
      types = [...types, slot];
    } else {
      if (!Array.isArray(node)) return undefined;
      const list = node;
      const kind = schema.list(types);
      parent = list;
      if (element.startsWith("v:")) slot = list.findIndex((item) => valueElement(item) === element);
      else if (element.startsWith("i:")) slot = Number(element.slice(2));
      else slot = list.findIndex((item, index) => keyElement(item, kind.type === "map" ? kind.keys : [], index) === element);
      if (slot < 0 || slot >= list.length) return undefined;
      types = [...types, "[]"];
    }
    if (i === path.length - 1) return { parent, slot };
    node = Array.isArray(parent) ? parent[slot as number] : (parent as JsonObject)[slot as string];
  }
  return undefined;
}

function removeAt(root: unknown, path: FieldPath, schema: KindSchema): void {
  const at = locate(root, path, schema);
  if (!at) return;
  if (Array.isArray(at.parent)) at.parent.splice(at.slot as number, 1);
  else delete at.parent[at.slot as string];
}

function valueAt(root: unknown, path: FieldPath, schema: KindSchema): unknown {
  const at = locate(root, path, schema);
  if (!at) return undefined;
  return Array.isArray(at.parent) ? at.parent[at.slot as number] : at.parent[at.slot as string];
}

/** A key field of a keyed list item (`…k:{"name":"a"}.f:name`): it goes only with its item. */
function isKeyField(path: FieldPath): boolean {
  const item = path[path.length - 2];
  const field = path[path.length - 1];
  if (!item?.startsWith("k:") || !field?.startsWith("f:")) return false;
  return Object.hasOwn(JSON.parse(item.slice(2)) as object, field.slice(2));
}

const isEmpty = (value: unknown): boolean =>
  Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0;

/**
 * Removes (in place) what the applier applied last time (`previous`) and no manager owns now,
 * then the named fields left empty by that removal (as structured-merge-diff's prune does).
 */
export function pruneUnapplied(object: JsonObject, previous: FieldSet, owners: readonly FieldSet[], schema: KindSchema): void {
  const owned = (path: FieldPath): boolean => owners.some((set) => set.coversAnyOf(path));
  const dropped = previous.paths().filter((path) => !owned(path) && !isKeyField(path));
  // Shallowest first: a dropped list item goes whole, before its fields could be looked up again.
  for (const path of [...dropped].sort((a, b) => a.length - b.length)) removeAt(object, path, schema);
  const parents = new Map<string, FieldPath>();
  for (const path of dropped)
    for (let length = path.length - 1; length >= 1; length--) {
      const parent = path.slice(0, length);
      if (parent[length - 1]?.startsWith("f:") && !(length === 1 && parent[0] === "f:metadata"))
        parents.set(JSON.stringify(parent), parent);
    }
  for (const parent of [...parents.values()].sort((a, b) => b.length - a.length))
    if (!owned(parent) && isEmpty(valueAt(object, parent, schema))) removeAt(object, parent, schema);
}
