import type { Diagnostic } from "./diagnostics.js";
import { pathToString } from "./diagnostics.js";
import type { SourceDocument } from "./source-document.js";

export type Reporter = (path: readonly PropertyKey[], message: string, hint?: string, atKey?: boolean) => void;

/** Reports a problem inside an expression: points at `needle` in the value, `inner` characters in. */
export type ExprReporter = (path: readonly PropertyKey[], needle: string, inner: number, message: string, hint?: string) => void;

export function collector(doc: SourceDocument): { report: Reporter; reportIn: ExprReporter; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report: Reporter = (path, message, hint, atKey = false) => {
    diagnostics.push(doc.diagnostic(path, pathToString(path), message, hint, atKey));
  };
  const reportIn: ExprReporter = (path, needle, inner, message, hint) => {
    diagnostics.push(doc.diagnosticInValue(path, pathToString(path), needle, inner, message, hint));
  };
  return { report, reportIn, diagnostics };
}
