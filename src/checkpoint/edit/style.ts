import { type Document, isSeq, type Node, visit } from "yaml";
import type { Style } from "./render.js";
import { columnOf, eolOf } from "./source-text.js";

/** The file's own habits, so added lines look like their neighbours: sequence indentation and line ending. */
export function styleOf(src: string, doc: Document.Parsed): Style {
  let indentSeq: boolean | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (indentSeq !== undefined) return visit.BREAK;
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (!isSeq(value) || value.flow || !key?.range || !value.range) return undefined;
      indentSeq = columnOf(src, value.range[0]) > columnOf(src, key.range[0]);
      return visit.BREAK;
    },
  });
  // A file without a block list under a key gets the common editor habit: lists indented under their key.
  return { indentSeq: indentSeq ?? true, eol: eolOf(src) };
}
