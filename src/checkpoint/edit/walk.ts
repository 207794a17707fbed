import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import type { PathSegment } from "../../source/yaml-path.js";

/** One step down an edit path: the collection, the position in it, and the node found there. */
export interface Link {
  container: YAMLMap | YAMLSeq;
  index: number;
  /** The key/value pair, when the container is a map. */
  pair?: Pair;
  node: Node | null;
}

export type Walk =
  /** Every segment exists; `links[i]` is where `segments[i]` leads. */
  | { kind: "found"; links: Link[] }
  /**
   * `segments[depth]` is not there: `at` is the map without the key or the list too short for the
   * index, or null when the path reaches an empty value (`key:` or `~`), which `links[depth - 1]` holds.
   */
  | { kind: "missing"; links: Link[]; depth: number; at: YAMLMap | YAMLSeq | null }
  /** `segments[depth]` cannot be followed: the value before it is a scalar, an alias, or the wrong kind of collection. */
  | { kind: "blocked"; links: Link[]; depth: number; reason: string };

/** Follows an edit path through a parsed document, without changing it. */
export function walk(root: Node | null, segments: PathSegment[]): Walk {
  const links: Link[] = [];
  let node: Node | null = root;
  for (const [depth, segment] of segments.entries()) {
    const blocked = (reason: string): Walk => ({ kind: "blocked", links, depth, reason });
    if (isMap(node)) {
      if (typeof segment === "number") return blocked(`is a map, not a list ([${segment}] indexes a list)`);
      const index = node.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (index < 0) return { kind: "missing", links, depth, at: node };
      const pair = node.items[index] as Pair;
      links.push({ container: node, index, pair, node: (pair.value as Node | null) ?? null });
    } else if (isSeq(node)) {
      if (typeof segment !== "number") return blocked(`is a list, not a map (write [0] for its first item, not .${segment})`);
      if (segment >= node.items.length) return { kind: "missing", links, depth, at: node };
      links.push({ container: node, index: segment, node: (node.items[segment] as Node | null) ?? null });
    } else if (node === null || (isScalar(node) && node.value === null)) {
      return { kind: "missing", links, depth, at: null };
    } else if (isAlias(node)) {
      return blocked(`is an alias (*${node.source}); edit the anchored value instead`);
    } else {
      return blocked(`is a scalar (${JSON.stringify(isScalar(node) ? node.value : String(node))}), not a map or list`);
    }
    node = (links[links.length - 1] as Link).node;
  }
  return { kind: "found", links };
}

/** An edit path written back as the runbook language writes it: `spec.disks["sdf1.x"]`, `items[0]`. */
export function formatPath(segments: PathSegment[]): string {
  return segments
    .map((s, i) => {
      if (typeof s === "number") return `[${s}]`;
      if (/^[A-Za-z0-9_-]+$/.test(s)) return i === 0 ? s : `.${s}`;
      return `[${JSON.stringify(s)}]`;
    })
    .join("");
}
