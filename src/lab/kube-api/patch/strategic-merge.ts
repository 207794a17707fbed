import { ApiError, badRequest } from "../status.js";
import type { KubeObject } from "../types.js";
import { clone, deepEqual, goString, isObject, type JsonObject, jsonTypeName } from "./json-value.js";
import { type KindSchema, type ListKind, strategicSchemaFor } from "./schema.js";
import { followsOrder, type ItemKey, orderItems } from "./strategic-order.js";

const PATCH = "$patch";
const RETAIN_KEYS = "$retainKeys";
const DELETE_FROM = "$deleteFromPrimitiveList/";
const SET_ORDER = "$setElementOrder/";

const isDirective = (key: string): boolean =>
  key === PATCH || key === RETAIN_KEYS || key.startsWith(DELETE_FROM) || key.startsWith(SET_ORDER);

/** The real server answers patch errors it did not anticipate with a bare 500 and the library's message. */
const serverError = (message: string): ApiError => new ApiError(500, "InternalError", message);

const noMergeKey = (item: unknown, key: string): ApiError =>
  serverError(`map: ${goString(item)} does not contain declared merge key: ${key}`);

const badPatchType = (directive: unknown, where: unknown): ApiError =>
  serverError(`unknown patch type: ${goString(directive)} in map: ${goString(where)}`);

type Types = readonly string[];

class StrategicMerge {
  constructor(private readonly schema: KindSchema) {}

  /** Merges `patch` into a map (`undefined` merges into nothing, which just strips directives and nulls). */
  map(original: unknown, patch: JsonObject, types: Types): JsonObject {
    const directive = patch[PATCH];
    if (directive !== undefined && directive !== "merge") {
      const { [PATCH]: _, ...rest } = patch;
      if (directive === "replace") return this.map(undefined, rest, types);
      if (directive === "delete") return {};
      throw badPatchType(directive, patch);
    }
    const result: JsonObject = isObject(original) ? { ...original } : {};
    this.retainKeys(result, patch);
    const ordered = this.setElementOrders(result, patch, types);
    this.deleteFromPrimitiveLists(result, patch);
    for (const [key, value] of Object.entries(patch)) {
      if (isDirective(key) || ordered.has(key)) continue;
      if (value === null) delete result[key];
      else result[key] = this.value(result[key], value, [...types, key]);
    }
    return result;
  }

  /** One field: maps merge, lists follow their strategy, scalars replace. */
  private value(original: unknown, patch: unknown, types: Types): unknown {
    if (isObject(patch)) return this.map(isObject(original) ? original : undefined, patch, types);
    if (!Array.isArray(patch)) return patch;
    const kind = this.schema.list(types);
    if (kind.type === "atomic") return patch.map((item) => (isObject(item) ? this.map(undefined, item, [...types, "[]"]) : clone(item)));
    return this.list(Array.isArray(original) ? original : [], patch, types, kind);
  }

  private list(original: unknown[], patch: unknown[], types: Types, kind: Exclude<ListKind, { type: "atomic" }>): unknown[] {
    if (kind.type === "set") {
      const merged = [...original];
      for (const item of patch) if (!merged.some((m) => deepEqual(m, item))) merged.push(clone(item));
      return orderItems(merged, patch, original, (item) => item);
    }
    const mergeKey = kind.keys[0] as string;
    const keyOf: ItemKey = (item) => (isObject(item) ? item[mergeKey] : item);
    const itemTypes = [...types, "[]"];
    let base = [...original];
    const plain: JsonObject[] = [];
    let replace = false;
    for (const item of patch) {
      if (!isObject(item)) throw serverError(`expected a map, but received a ${jsonTypeName(item)}: ${goString(item)}`);
      const directive = item[PATCH];
      if (directive === undefined || directive === "merge") {
        const { [PATCH]: _, ...rest } = item;
        if (directive === undefined || mergeKey in rest) plain.push(rest);
      } else if (directive === "delete") {
        if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
        base = base.filter((o) => !deepEqual(keyOf(o), item[mergeKey]));
      } else if (directive === "replace") {
        replace = true;
      } else {
        throw badPatchType(directive, item);
      }
    }
    if (replace) return plain.map((item) => this.map(undefined, item, itemTypes));
    for (const item of plain) {
      if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
      const at = base.findIndex((o) => deepEqual(keyOf(o), item[mergeKey]));
      if (at >= 0) base[at] = this.map(base[at], item, itemTypes);
      else base.push(this.map(undefined, item, itemTypes));
    }
    return orderItems(base, plain, original, keyOf);
  }

  /** `$retainKeys`: drop every key of the original not listed; the patch may only set listed keys. */
  private retainKeys(result: JsonObject, patch: JsonObject): void {
    if (!(RETAIN_KEYS in patch)) return;
    const retained = patch[RETAIN_KEYS];
    if (!Array.isArray(retained)) throw badRequest("invalid patch format of retainKeys");
    for (const [key, value] of Object.entries(patch))
      if (value !== null && !isDirective(key) && !retained.includes(key)) throw badRequest("invalid patch format of retainKeys");
    for (const key of Object.keys(result)) if (!retained.includes(key)) delete result[key];
  }

  /** `$deleteFromPrimitiveList/<field>`: removes those values from a list of scalars. */
  private deleteFromPrimitiveLists(result: JsonObject, patch: JsonObject): void {
    for (const [key, values] of Object.entries(patch)) {
      if (!key.startsWith(DELETE_FROM)) continue;
      const field = key.slice(DELETE_FROM.length);
      if (!field || !Array.isArray(values)) throw badRequest("invalid patch format of primitive list");
      const list = result[field];
      if (Array.isArray(list)) result[field] = list.filter((item) => !values.some((v) => deepEqual(v, item)));
    }
  }

  /** `$setElementOrder/<field>`: merges that list now and orders it; returns the fields it handled. */
  private setElementOrders(result: JsonObject, patch: JsonObject, types: Types): Set<string> {
    const handled = new Set<string>();
    for (const [key, order] of Object.entries(patch)) {
      if (!key.startsWith(SET_ORDER)) continue;
      const field = key.slice(SET_ORDER.length);
      if (!field || !Array.isArray(order)) throw badRequest("invalid patch format of setElementOrder list");
      const kind = this.schema.list([...types, field]);
      const mergeKey = kind.type === "map" ? (kind.keys[0] as string) : undefined;
      const keyOf: ItemKey = (item) => (mergeKey !== undefined && isObject(item) ? item[mergeKey] : item);
      const live = Array.isArray(result[field]) ? (result[field] as unknown[]) : undefined;
      const patched = patch[field];
      if (Array.isArray(patched)) {
        const named = patched.filter((item) => !(isObject(item) && item[PATCH] !== undefined));
        if (!followsOrder(named, order, keyOf))
          throw serverError(`The order in patch list:\n${goString(patched)}\n doesn't match $setElementOrder list:\n${goString(order)}\n`);
      }
      let merged: unknown[];
      if (patched === undefined || patched === null) {
        if (!live) continue;
        merged = live;
      } else {
        merged = this.value(live, patched, [...types, field]) as unknown[];
        if (!Array.isArray(merged)) continue;
      }
      result[field] = orderItems(merged, order, live ?? [], keyOf);
      handled.add(field);
    }
    return handled;
  }
}

/**
 * Kubernetes strategic merge patch for the built-in kinds (lists merged by their merge keys, the
 * `$patch`, `$retainKeys`, `$setElementOrder/…` and `$deleteFromPrimitiveList/…` directives; `null`
 * removes). Unknown kinds merge like a JSON merge patch with every list replaced. The result never
 * holds a directive; the inputs are not mutated.
 */
export function strategicMergePatch(
  target: KubeObject,
  patch: Record<string, unknown>,
  gvk: { apiVersion: string; kind: string },
): KubeObject {
  if (!isObject(patch)) throw badRequest("error decoding patch: the patch is not a JSON object");
  const merged = new StrategicMerge(strategicSchemaFor(gvk)).map(clone(target), patch, []);
  return merged as KubeObject;
}
