import { ResolveError, type Resolver } from "./resolve.js";

/** The items a foreach expression gave: a list's items, or a map's {key, value} entries. */
export function listItems(value: unknown, expression: string): { item: unknown; key?: string }[] {
  if (Array.isArray(value)) return value.map((item) => ({ item }));
  // A map gives {key, value} items, keyed by the map key.
  if (value && typeof value === "object") return Object.entries(value).map(([key, v]) => ({ item: { key, value: v }, key }));
  throw new ResolveError(`foreach needs a list or map, got ${JSON.stringify(value)}`, expression);
}

/** The id suffix of one foreach item: foreach.key, else the map key, the item itself, its name, or its index. */
export function itemKey(expr: string | undefined, r: Resolver, item: unknown, mapKey: string | undefined, index: number): string {
  if (expr !== undefined) return String(r.value(expr));
  if (mapKey !== undefined) return mapKey;
  if (typeof item === "string" || typeof item === "number") return String(item);
  const name = (item as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : String(index);
}
