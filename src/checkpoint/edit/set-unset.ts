import { isDeepStrictEqual } from "node:util";
import { isSeq, type Node } from "yaml";
import type { PathSegment } from "../../source/yaml-path.js";
import { refuseAliasedChange } from "./anchors.js";
import { nest } from "./js-path.js";
import { EditProblem } from "./problem.js";
import { addKey, type EditContext, removeValue, replaceValue, type Splice } from "./splice-node.js";
import { formatPath, walk } from "./walk.js";

/** The change that makes `segments` hold `value`, or undefined when it already does (a rerun is a no-op). */
export function setPath(ctx: EditContext, segments: PathSegment[], value: unknown): Splice | undefined {
  const found = walk(ctx.doc.contents as Node | null, segments);
  const path = formatPath(segments);
  if (found.kind === "blocked") throw blockedProblem(segments, found.depth, found.reason);
  if (found.kind === "found") {
    const last = found.links[found.links.length - 1];
    const current = last?.node ? last.node.toJS(ctx.doc) : null;
    if (isDeepStrictEqual(current, value)) return undefined;
    refuseAliasedChange(ctx.doc, found.links, last?.node ?? null, path);
    return replaceValue(ctx, found.links, found.links.length - 1, value);
  }
  const { depth, at, links } = found;
  const rest = segments.slice(depth);
  if (isSeq(at)) {
    throw new EditProblem(
      `${formatPath(segments.slice(0, depth))} has ${at.items.length} item${at.items.length === 1 ? "" : "s"}; [${rest[0]}] is past its end`,
      path,
    );
  }
  const created = at === null ? rest : rest.slice(1);
  const index = created.findIndex((s) => typeof s === "number");
  if (index >= 0) {
    const missing = formatPath(segments.slice(0, segments.length - created.length + index));
    throw new EditProblem(`${missing} does not exist, so its list item [${created[index]}] cannot be set`, path);
  }
  refuseAliasedChange(ctx.doc, links, at, path);
  if (at !== null) return addKey(ctx, links, at, rest[0] as string, nest(rest.slice(1), value));
  if (depth === 0) throw new EditProblem("the document is empty; write the whole file with content:", path);
  return replaceValue(ctx, links, depth - 1, nest(rest, value));
}

/** The change that removes `segments`, or undefined when it is already absent. */
export function unsetPath(ctx: EditContext, segments: PathSegment[]): Splice | undefined {
  const found = walk(ctx.doc.contents as Node | null, segments);
  if (found.kind === "blocked") throw blockedProblem(segments, found.depth, found.reason);
  if (found.kind === "missing") return undefined;
  const last = found.links[found.links.length - 1];
  refuseAliasedChange(ctx.doc, found.links, last?.node ?? null, formatPath(segments));
  return removeValue(ctx, found.links, found.links.length - 1);
}

function blockedProblem(segments: PathSegment[], depth: number, reason: string): EditProblem {
  const before = depth === 0 ? "the document" : formatPath(segments.slice(0, depth));
  return new EditProblem(`${before} ${reason}`, formatPath(segments));
}
