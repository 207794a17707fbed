import { Document, isScalar, parse, type Scalar, visit } from "yaml";

/** How the file writes what we add: block sequences indented under their key or not, and the line ending. */
export interface Style {
  indentSeq: boolean;
  eol: string;
}

const TEXT_OPTIONS = { lineWidth: 0, minContentWidth: 0 } as const;

/** A value that is written on its key's line: a scalar or an empty map or list. */
export function isInline(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (value !== null && typeof value === "object") return Object.keys(value).length === 0;
  return true;
}

/** A scalar or an empty collection as text for one line; a string keeps the quoting of the scalar it replaces. */
export function renderInline(value: unknown, like?: Scalar): string {
  const doc = documentOf(value, false);
  const node = doc.contents;
  if (isScalar(node) && typeof value === "string" && !node.type) {
    if (value.includes("\n")) node.type = "QUOTE_DOUBLE";
    else if (like && (like.type === "QUOTE_DOUBLE" || like.type === "QUOTE_SINGLE") && typeof like.value === "string")
      node.type = like.type;
  }
  return trimEnd(doc.toString(TEXT_OPTIONS));
}

/** A map or list in flow style on one line (`{a: 1}`), padded inside the braces when `padding`. */
export function renderFlow(value: unknown, padding: boolean): string {
  return trimEnd(documentOf(value, true).toString({ ...TEXT_OPTIONS, flowCollectionPadding: padding }));
}

/** A non-empty map or list in block style, as lines without a base indentation. */
export function renderBlock(value: unknown, style: Style): string[] {
  return trimEnd(documentOf(value, false).toString({ ...TEXT_OPTIONS, indentSeq: style.indentSeq })).split("\n");
}

/** A map key as written before `:`. */
export function renderKey(key: string): string {
  return renderInline(key);
}

/** `lines` joined by `eol`, each indented by `indent` spaces (the first only when `indentFirst`; empty lines stay empty). */
export function indentLines(lines: string[], indent: number, eol: string, indentFirst: boolean): string {
  const pad = " ".repeat(indent);
  return lines.map((l, i) => (l === "" || (i === 0 && !indentFirst) ? l : pad + l)).join(eol);
}

function documentOf(value: unknown, flow: boolean): Document {
  const doc = new Document(null);
  doc.contents = doc.createNode(value, { flow });
  // A string that YAML 1.1 (which Kubernetes reads) or 1.2 would read as something else is quoted.
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value !== "string" || node.type) return;
      // In a flow collection a string with line breaks stays on one line: double quotes with \n.
      if ((flow && node.value.includes("\n")) || !readsBackAsString(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  return doc;
}

function readsBackAsString(text: string): boolean {
  if (text === "" || /[\n:#'"{}[\],&*!|>%@`]/.test(text) || text.trim() !== text) return true; // yaml quotes these itself
  try {
    return parse(text) === text && parse(text, { schema: "yaml-1.1" }) === text;
  } catch {
    return false;
  }
}

function trimEnd(text: string): string {
  return text.replace(/\n+$/, "");
}
