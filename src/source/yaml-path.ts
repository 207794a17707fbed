/** One step of a path into a YAML document: a map key or a list index. */
export type PathSegment = string | number;

/**
 * Parses an edit path: keys separated by dots, a key holding dots or slashes in brackets and
 * quotes (`metadata.labels["node.longhorn.io/create-default-disk"]`), `[0]` for a list item.
 */
export function parseYamlPath(path: string): { segments: PathSegment[] } | { error: string; at: number } {
  const segments: PathSegment[] = [];
  let at = 0;
  const plain = /[A-Za-z0-9_-]+/y;
  while (at < path.length) {
    if (path[at] === "[") {
      const quoted = /\[(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\]/y;
      quoted.lastIndex = at;
      const index = /\[(\d+)\]/y;
      index.lastIndex = at;
      const q = quoted.exec(path);
      const n = q ? null : index.exec(path);
      if (q) {
        segments.push(q[1] !== undefined ? (JSON.parse(`"${q[1]}"`) as string) : (q[2] as string));
        at = quoted.lastIndex;
      } else if (n) {
        segments.push(Number(n[1]));
        at = index.lastIndex;
      } else {
        return { error: 'a bracket holds a quoted key ["a.b"] or a list index [0]', at };
      }
    } else {
      if (segments.length > 0) {
        if (path[at] !== ".") return { error: `expected "." or "[" after a key`, at };
        at++;
      }
      plain.lastIndex = at;
      const m = plain.exec(path);
      if (!m) return { error: 'expected a key (letters, digits, "_" or "-"); quote other keys as ["…"]', at };
      segments.push(m[0]);
      at = plain.lastIndex;
    }
  }
  if (segments.length === 0) return { error: "the path is empty", at: 0 };
  return { segments };
}
