import { type Document, isMap, parseAllDocuments } from "yaml";
import { EditProblem } from "./problem.js";

/** Which document of a multi-document file an edit changes: by `kind` and/or `metadata.name`. */
export interface DocumentSelector {
  kind?: string;
  name?: string;
}

/** Every document of a YAML file; a syntax error anywhere refuses the edit with its line and column. */
export function parseDocuments(text: string): Document.Parsed[] {
  const parsed = parseAllDocuments(text);
  const docs = Array.isArray(parsed) ? parsed : [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      throw new EditProblem(
        `the file is not valid YAML${at ? ` (line ${at.line}, column ${at.col})` : ""}: ${error.message.split("\n")[0]}`,
      );
    }
  }
  return docs;
}

/** The index of the document an edit applies to: the one the selector names, else the first. */
export function selectDocument(docs: Document.Parsed[], selector: DocumentSelector | undefined): number {
  const wanted = describe(selector?.kind, selector?.name);
  if (!wanted) {
    if (docs.length === 0) throw new EditProblem("the file holds no YAML document");
    return 0;
  }
  const matches = docs.flatMap((doc, i) => (matchesSelector(doc, selector as DocumentSelector) ? [i] : []));
  if (matches.length === 1) return matches[0] as number;
  if (matches.length === 0) {
    const present = docs.map((doc) => describe(field(doc, ["kind"]), field(doc, ["metadata", "name"])) || "(no kind or name)");
    throw new EditProblem(`no document with ${wanted} (the file holds: ${present.join("; ") || "no document"})`);
  }
  throw new EditProblem(
    `${matches.length} documents match ${wanted} (documents ${matches.map((i) => i + 1).join(", ")}); give both kind and name`,
  );
}

function matchesSelector(doc: Document.Parsed, selector: DocumentSelector): boolean {
  if (selector.kind !== undefined && field(doc, ["kind"]) !== selector.kind) return false;
  if (selector.name !== undefined && field(doc, ["metadata", "name"]) !== selector.name) return false;
  return true;
}

function field(doc: Document.Parsed, path: string[]): string | undefined {
  if (!isMap(doc.contents)) return undefined;
  const value = doc.getIn(path);
  return typeof value === "string" ? value : undefined;
}

function describe(kind: string | undefined, name: string | undefined): string {
  return [kind !== undefined ? `kind ${kind}` : "", name !== undefined ? `name ${name}` : ""].filter(Boolean).join(" and ");
}
