import { type Document, isAlias, isCollection, isPair, type Node, visit } from "yaml";
import { EditProblem } from "./problem.js";
import type { Link } from "./walk.js";

/**
 * Refuses a change to a node that an alias elsewhere repeats (`&anc` … `*anc`): changing it would
 * silently change every place that repeats it. `links` lead to the node; `changed` is the node replaced or removed.
 */
export function refuseAliasedChange(doc: Document.Parsed, links: Link[], changed: Node | null, path: string): void {
  const aliased = new Set<string>();
  visit(doc, {
    Alias(_, alias) {
      aliased.add(alias.source);
    },
  });
  if (aliased.size === 0) return;
  const along = [...links.map((l) => l.container), ...(changed ? [changed] : [])];
  for (const node of along) {
    const anchor = anchorWithin(node, aliased, node === changed);
    if (anchor)
      throw new EditProblem(`the value there is anchored as &${anchor} and repeated elsewhere as *${anchor}; edit it by hand`, path);
  }
}

/** The node's own anchor when aliased; with `deep`, also the first aliased anchor inside it. */
function anchorWithin(node: Node, aliased: Set<string>, deep: boolean): string | undefined {
  if (!isAlias(node) && node.anchor && aliased.has(node.anchor)) return node.anchor;
  if (!deep || !isCollection(node)) return undefined;
  for (const item of node.items) {
    const children = isPair(item) ? [item.key, item.value] : [item];
    for (const child of children) {
      if (child && typeof child === "object" && "range" in (child as object)) {
        const found = anchorWithin(child as Node, aliased, true);
        if (found) return found;
      }
    }
  }
  return undefined;
}
