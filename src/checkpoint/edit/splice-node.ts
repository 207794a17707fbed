import { type Document, isCollection, isMap, isScalar, type Node, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import type { PathSegment } from "../../source/yaml-path.js";
import { deleteIn, setIn } from "./js-path.js";
import { EditProblem } from "./problem.js";
import { indentLines, isInline, renderBlock, renderFlow, renderInline, renderKey, type Style } from "./render.js";
import { afterLine, columnOf, lineStart } from "./source-text.js";
import type { Link } from "./walk.js";

/** The document being edited, with its source text. Everything outside the changed node keeps its bytes. */
export interface EditContext {
  src: string;
  doc: Document.Parsed;
  style: Style;
}

/** Replace [from, to) of the source with `text`. */
export interface Splice {
  from: number;
  to: number;
  text: string;
}

type Collection = YAMLMap | YAMLSeq;

/** Replaces the value that `links[depth]` leads to with `value`. */
export function replaceValue(ctx: EditContext, links: Link[], depth: number, value: unknown): Splice {
  const flow = links.findIndex((l, i) => i <= depth && l.container.flow);
  if (flow >= 0) return rerenderFlow(ctx, links, flow, (js) => setIn(js, segmentsOf(links.slice(flow, depth + 1)), value));
  const link = links[depth] as Link;
  const node = link.node;
  if (isInline(value)) {
    if (node === null || (isScalar(node) && node.value === null && rangeOf(node)[0] === rangeOf(node)[1]))
      return fillEmpty(ctx, link, renderInline(value));
    if ((isScalar(node) && !isBlockScalar(node)) || (isCollection(node) && node.flow)) {
      const [from, to] = rangeOf(node);
      return { from, to, text: renderInline(value, isScalar(node) ? node : undefined) };
    }
  } else if (isCollection(node) && node.flow && node.items.length > 0) {
    const [from, to] = rangeOf(node);
    return { from, to, text: renderFlow(value, padded(ctx, node)) };
  }
  return replaceInBlock(ctx, link, value);
}

/** Adds `key: value` to the map `map`, reached through `links` (a new key goes after the map's last one). */
export function addKey(ctx: EditContext, links: Link[], map: YAMLMap, key: string, value: unknown): Splice {
  const flow = links.findIndex((l) => l.container.flow);
  if (flow >= 0) return rerenderFlow(ctx, links, flow, (js) => setIn(js, [...segmentsOf(links.slice(flow)), key], value));
  if (map.flow) return rerenderFlow(ctx, links, links.length, (js) => setIn(js, [key], value));
  const { src, style } = ctx;
  const first = map.items[0]?.key as Node;
  const indent = columnOf(src, rangeOf(first)[0]);
  const at = afterLine(src, rangeOf(map)[2]);
  const line = `${" ".repeat(indent)}${renderKey(key)}:${afterKey(value, indent, style)}`;
  const text = at === src.length && !src.endsWith("\n") ? `${style.eol}${line}` : `${line}${style.eol}`;
  return { from: at, to: at, text };
}

/** Removes the value that `links[depth]` leads to (its key too, in a map); the last item of a collection leaves `{}` or `[]`. */
export function removeValue(ctx: EditContext, links: Link[], depth: number): Splice {
  const flow = links.findIndex((l, i) => i <= depth && l.container.flow);
  if (flow >= 0) return rerenderFlow(ctx, links, flow, (js) => deleteIn(js, segmentsOf(links.slice(flow, depth + 1))));
  const link = links[depth] as Link;
  const container = link.container;
  const emptied = isMap(container) ? {} : [];
  if (container.items.length === 1) {
    if (depth > 0) return replaceValue(ctx, links, depth - 1, emptied);
    return replaceRoot(ctx, container, emptied);
  }
  const { src } = ctx;
  const start = link.pair ? rangeOf(link.pair.key as Node)[0] : rangeOf(link.node as Node)[0];
  const prefix = src.slice(lineStart(src, start), start);
  const ownLine = link.pair ? prefix.trim() === "" : /^\s*-\s*$/.test(prefix);
  if (!ownLine) {
    // `- a: 1` holds its first key on the dash's line: write the item again without it.
    const without = deleteIn(container.toJS(ctx.doc), segmentsOf([link]));
    if (depth > 0) return replaceValue(ctx, links, depth - 1, without);
    return replaceRoot(ctx, container, without);
  }
  return { from: lineStart(src, start), to: afterLine(src, endOf(link)), text: "" };
}

/** Writes a flow collection (`{…}`, `[…]`) again with `change` applied; an empty one that gains items becomes a block. */
function rerenderFlow(ctx: EditContext, links: Link[], index: number, change: (js: unknown) => unknown): Splice {
  const flow = (index < links.length ? (links[index] as Link).container : (links[index - 1]?.node ?? ctx.doc.contents)) as Collection;
  const value = change(flow.toJS(ctx.doc));
  if (flow.items.length === 0 && !isInline(value)) {
    if (index === 0) return replaceRoot(ctx, flow, value);
    return replaceInBlock(ctx, links[index - 1] as Link, value);
  }
  const [from, to] = rangeOf(flow);
  return { from, to, text: renderFlow(value, padded(ctx, flow)) };
}

/** Writes a pair (`key: value`) or a list item again, in block style, from its key or item start to the end of its last line. */
function replaceInBlock(ctx: EditContext, link: Link, value: unknown): Splice {
  const { src, style } = ctx;
  const keyNode = link.pair?.key as Node | undefined;
  const from = rangeOf(keyNode ?? (link.node as Node))[0];
  const to = afterLine(src, endOf(link));
  const indent = columnOf(src, from);
  if (keyNode && !isInline(value) && valueBelowKey(ctx, link)) {
    // `key:   # comment` stays as written; only the lines below it are new.
    const below = afterLine(src, rangeOf(keyNode)[1]);
    const block = afterKey(value, indent, style).slice(style.eol.length);
    if (below === src.length && !src.endsWith("\n")) return { from: below, to: below, text: style.eol + block };
    return { from: below, to: Math.max(to, below), text: block + style.eol };
  }
  const body = keyNode
    ? `${src.slice(rangeOf(keyNode)[0], rangeOf(keyNode)[1])}:${afterKey(value, indent, style)}`
    : isInline(value)
      ? renderInline(value)
      : indentLines(renderBlock(value, style), indent, style.eol, false);
  return { from, to, text: src.slice(0, to).endsWith("\n") ? body + style.eol : body };
}

/** The pair's current value is empty (`key:`) or a block that starts on a line below the key. */
function valueBelowKey(ctx: EditContext, link: Link): boolean {
  const node = link.node;
  const keyLineEnd = afterLine(ctx.src, rangeOf(link.pair?.key as Node)[1]);
  if (node === null || (isScalar(node) && node.value === null && rangeOf(node)[0] === rangeOf(node)[1])) return true;
  return isCollection(node) && !node.flow && rangeOf(node)[0] >= keyLineEnd;
}

/** Writes the whole document's top collection again (it was emptied, or an empty `{}` gained keys). */
function replaceRoot(ctx: EditContext, root: Collection, value: unknown): Splice {
  const { src, style } = ctx;
  const [from] = rangeOf(root);
  const to = root.flow ? rangeOf(root)[1] : afterLine(src, rangeOf(root)[2]);
  const body = isInline(value) ? renderInline(value) : indentLines(renderBlock(value, style), 0, style.eol, false);
  return { from, to, text: !root.flow && src.slice(0, to).endsWith("\n") ? body + style.eol : body };
}

/** `key:` or `-` with nothing after it gets a value on the same line. */
function fillEmpty(ctx: EditContext, link: Link, text: string): Splice {
  const { src } = ctx;
  const at = link.pair ? src.indexOf(":", rangeOf(link.pair.key as Node)[1]) + 1 : rangeOf(link.node as Node)[0];
  if (at <= 0) throw new EditProblem("cannot find where this value starts in the file");
  return { from: at, to: at, text: src[at - 1] === " " ? text : ` ${text}` };
}

/** What follows `key:` for a value: ` scalar` on the same line, or a block on the lines below. */
function afterKey(value: unknown, indent: number, style: Style): string {
  if (isInline(value)) return ` ${renderInline(value)}`;
  const childIndent = Array.isArray(value) && !style.indentSeq ? indent : indent + 2;
  return style.eol + indentLines(renderBlock(value, style), childIndent, style.eol, true);
}

/** Where a pair or list item ends in the source (its value's trailing comment included). */
function endOf(link: Link): number {
  if (link.node && rangeOf(link.node)) return rangeOf(link.node)[2];
  return rangeOf((link.pair?.key ?? link.node) as Node)[2];
}

function segmentsOf(links: Link[]): PathSegment[] {
  return links.map((l) => (l.pair ? String((l.pair.key as Scalar).value) : l.index));
}

function isBlockScalar(node: Scalar): boolean {
  return node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
}

function padded(ctx: EditContext, node: Collection): boolean {
  return node.items.length > 0 && ctx.src[rangeOf(node)[0] + 1] === " ";
}

function rangeOf(node: Node): [number, number, number] {
  if (!node.range) throw new EditProblem("the YAML node has no source position");
  return node.range;
}
