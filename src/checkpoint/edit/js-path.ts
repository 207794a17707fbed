import type { PathSegment } from "../../source/yaml-path.js";

/** What a document should read as after `set`: a copy of `root` with `value` at `segments` (missing maps created). */
export function setIn(root: unknown, segments: PathSegment[], value: unknown): unknown {
  const copy = structuredClone(root);
  if (segments.length === 0) return value;
  const top = copy === null || copy === undefined ? {} : copy;
  let node = top as Record<string | number, unknown>;
  for (const [i, segment] of segments.entries()) {
    if (i === segments.length - 1) {
      node[segment] = value;
      break;
    }
    const next = node[segment];
    if (next === null || next === undefined) node[segment] = {};
    node = node[segment] as Record<string | number, unknown>;
  }
  return top;
}

/** What a document should read as after `unset`: a copy of `root` without the value at `segments`. */
export function deleteIn(root: unknown, segments: PathSegment[]): unknown {
  const copy = structuredClone(root);
  let node = copy as Record<string | number, unknown> | unknown[] | null;
  for (const [i, segment] of segments.entries()) {
    if (node === null || typeof node !== "object") return copy;
    if (i === segments.length - 1) {
      if (Array.isArray(node)) node.splice(segment as number, 1);
      else delete node[segment];
      break;
    }
    node = (node as Record<string | number, unknown>)[segment] as typeof node;
  }
  return copy;
}

/** `{a: {b: value}}` for the segments a, b: the maps a set creates below a missing key. */
export function nest(segments: PathSegment[], value: unknown): unknown {
  return segments.reduceRight<unknown>((inner, segment) => ({ [segment]: inner }), value);
}
