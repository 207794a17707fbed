/**
 * The value a map holds under a key it has itself, never one inherited from Object.prototype: a
 * user's key `constructor` or `toString` is a key like any other, and one that is not there is absent.
 */
export function own<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}
