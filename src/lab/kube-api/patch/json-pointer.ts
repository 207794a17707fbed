/** RFC 6901 JSON pointers, as JSON patch (RFC 6902) uses them. */

/**
 * Splits a pointer into unescaped reference tokens (`~1` → `/`, `~0` → `~`). `""` is the whole
 * document (no tokens); anything else must start with `/`, or `undefined` is returned.
 */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return undefined;
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** An array index token: `0` or digits without a leading zero (RFC 6901 §4). */
export function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
