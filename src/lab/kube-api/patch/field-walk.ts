import { type FieldPath, fieldElement, keyElement, type PathElement, valueElement } from "./field-path.js";
import { FieldSet } from "./field-set.js";
import { deepEqual, isObject, type JsonObject } from "./json-value.js";
import type { KindSchema } from "./schema.js";

/** What changed between two versions of an object, as structured-merge-diff's Compare reports it. */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** The type path of a field path: field names, `[]` for list items (the schema's lookup key). */
type TypePath = readonly string[];

const present = (value: unknown): boolean => value !== undefined && value !== null;

/** Items of a keyed list by their path element. */
function itemsByKey(list: unknown, keys: readonly string[]): Map<PathElement, unknown> {
  const items = new Map<PathElement, unknown>();
  if (Array.isArray(list))
    list.forEach((item, index) => {
      items.set(keyElement(item, keys, index), item);
    });
  return items;
}

/** Items of a set by their path element. */
function setItems(list: unknown): Map<PathElement, unknown> {
  const items = new Map<PathElement, unknown>();
  if (Array.isArray(list)) for (const value of list) items.set(valueElement(value), value);
  return items;
}

class Comparer {
  readonly added: FieldPath[] = [];
  readonly modified: FieldPath[] = [];
  readonly removed: FieldPath[] = [];

  constructor(private readonly schema: KindSchema) {}

  private leaf(before: unknown, after: unknown, path: FieldPath): void {
    if (!present(before) && present(after)) this.added.push(path);
    else if (present(before) && !present(after)) this.removed.push(path);
    else if (present(before) && !deepEqual(before, after)) this.modified.push(path);
  }

  compare(before: unknown, after: unknown, types: TypePath, path: FieldPath): void {
    if (!present(before) && !present(after)) return;
    const kindOf = (v: unknown): string => (Array.isArray(v) ? "list" : isObject(v) ? "map" : "scalar");
    if (present(before) && present(after) && kindOf(before) !== kindOf(after)) {
      this.compare(before, undefined, types, path);
      this.compare(undefined, after, types, path);
      return;
    }
    const sample = present(after) ? after : before;
    if (Array.isArray(sample)) this.compareLists(before, after, types, path);
    else if (isObject(sample)) this.compareMaps(before, after, types, path);
    else this.leaf(before, after, path);
  }

  /**
   * Maps and non-atomic lists: a node that appears or disappears is itself a member (the `.` of
   * fieldsV1) unless the kind always has it; empty on both sides it is a leaf, which keeps the
   * empty/absent distinction (as structured-merge-diff does).
   */
  private node(before: unknown, after: unknown, types: TypePath, path: FieldPath, empty: unknown): boolean {
    if (path.length === 0) return true;
    if (this.schema.alwaysPresent(types)) {
      before = present(before) ? before : empty;
      after = present(after) ? after : empty;
    }
    const isEmpty = (v: unknown): boolean => !present(v) || deepEqual(v, empty);
    if (isEmpty(before) && isEmpty(after)) {
      this.leaf(before, after, path);
      return false;
    }
    if (!present(before)) this.added.push(path);
    if (!present(after)) this.removed.push(path);
    return true;
  }

  private compareMaps(before: unknown, after: unknown, types: TypePath, path: FieldPath): void {
    if (path.length && this.schema.atomicMap(types)) {
      this.leaf(before, after, path);
      return;
    }
    if (!this.node(before, after, types, path, {})) return;
    const b = (isObject(before) ? before : {}) as JsonObject;
    const a = (isObject(after) ? after : {}) as JsonObject;
    for (const key of new Set([...Object.keys(b), ...Object.keys(a)]))
      this.compare(b[key], a[key], [...types, key], [...path, fieldElement(key)]);
  }

  private compareLists(before: unknown, after: unknown, types: TypePath, path: FieldPath): void {
    const kind = this.schema.list(types);
    if (kind.type === "atomic") {
      this.leaf(before, after, path);
      return;
    }
    if (!this.node(before, after, types, path, [])) return;
    const [b, a] =
      kind.type === "set" ? [setItems(before), setItems(after)] : [itemsByKey(before, kind.keys), itemsByKey(after, kind.keys)];
    for (const element of new Set([...b.keys(), ...a.keys()])) {
      const itemPath = [...path, element];
      if (kind.type === "set") this.leaf(b.get(element), a.get(element), itemPath);
      else this.compare(b.get(element), a.get(element), [...types, "[]"], itemPath);
    }
  }
}

/** Compares two versions of an object field by field; `undefined` is an empty object of the kind. */
export function compareObjects(before: unknown, after: unknown, schema: KindSchema): Comparison {
  const comparer = new Comparer(schema);
  comparer.compare(before ?? {}, after ?? {}, [], []);
  return { added: FieldSet.of(comparer.added), modified: FieldSet.of(comparer.modified), removed: FieldSet.of(comparer.removed) };
}

/** The fields an applied configuration sets (structured-merge-diff's ToFieldSet): leaves and list items. */
export function appliedFields(applied: unknown, schema: KindSchema): FieldSet {
  const paths: FieldPath[] = [];
  const walk = (value: unknown, types: TypePath, path: FieldPath): void => {
    if (!present(value)) return;
    if (Array.isArray(value)) {
      const kind = schema.list(types);
      if (kind.type === "atomic") paths.push(path);
      else if (kind.type === "set") for (const item of value) paths.push([...path, valueElement(item)]);
      else
        value.forEach((item, index) => {
          const itemPath = [...path, keyElement(item, kind.keys, index)];
          paths.push(itemPath);
          walk(item, [...types, "[]"], itemPath);
        });
    } else if (isObject(value)) {
      if (path.length && schema.atomicMap(types)) paths.push(path);
      else for (const [key, child] of Object.entries(value)) walk(child, [...types, key], [...path, fieldElement(key)]);
    } else {
      paths.push(path);
    }
  };
  walk(applied, [], []);
  return FieldSet.of(paths);
}
