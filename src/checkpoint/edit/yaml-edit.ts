import { isDeepStrictEqual } from "node:util";
import { InternalError } from "../../errors.js";
import { type PathSegment, parseYamlPath } from "../../source/yaml-path.js";
import { type DocumentSelector, parseDocuments, selectDocument } from "./document.js";
import { deleteIn, setIn } from "./js-path.js";
import { EditProblem } from "./problem.js";
import { setPath, unsetPath } from "./set-unset.js";
import { splice } from "./source-text.js";
import type { EditContext, Splice } from "./splice-node.js";
import { styleOf } from "./style.js";

/** The YAML part of an edit step: which document, what to set and what to remove. */
export interface YamlChanges {
  document?: DocumentSelector;
  set?: Record<string, unknown>;
  unset?: string[];
}

/**
 * The file's text with `set` then `unset` applied to the selected document. Only the changed nodes'
 * text is rewritten: comments, key order, quoting and blank lines elsewhere stay byte for byte.
 * Throws an EditProblem (nothing applied) when any of the changes cannot apply.
 */
export function editYaml(text: string, changes: YamlChanges): string {
  let out = text;
  for (const [path, value] of Object.entries(changes.set ?? {})) {
    const segments = segmentsOf(path);
    out = applyOne(
      out,
      changes.document,
      path,
      (ctx) => setPath(ctx, segments, value),
      (js) => setIn(js, segments, value),
    );
  }
  for (const path of changes.unset ?? []) {
    const segments = segmentsOf(path);
    out = applyOne(
      out,
      changes.document,
      path,
      (ctx) => unsetPath(ctx, segments),
      (js) => deleteIn(js, segments),
    );
  }
  return out;
}

function applyOne(
  text: string,
  selector: DocumentSelector | undefined,
  path: string,
  change: (ctx: EditContext) => Splice | undefined,
  expected: (js: unknown) => unknown,
): string {
  const docs = parseDocuments(text);
  const index = selectDocument(docs, selector);
  const doc = docs[index] as (typeof docs)[number];
  const at = change({ src: text, doc, style: styleOf(text, doc) });
  if (!at) return text;
  const out = splice(text, at.from, at.to, at.text);
  // The text we wrote must read back as exactly the intended data, every other document unchanged.
  const before = docs.map((d, i) => (i === index ? expected(d.toJS()) : d.toJS()));
  let after: unknown[] | undefined;
  try {
    after = parseDocuments(out).map((d) => d.toJS());
  } catch {
    after = undefined;
  }
  if (!after || !isDeepStrictEqual(after, before))
    throw new InternalError(`editing ${path} produced YAML that does not read back as intended; nothing was written`);
  return out;
}

function segmentsOf(path: string): PathSegment[] {
  const parsed = parseYamlPath(path);
  if ("error" in parsed) throw new EditProblem(`path "${path}": ${parsed.error} (at character ${parsed.at + 1})`, path);
  return parsed.segments;
}
