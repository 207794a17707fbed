import type { Diagnostic } from "../diagnostics.js";
import { pathToString } from "../diagnostics.js";
import type { RunbookSpec } from "../schema.js";
import type { SourceDocument } from "../source.js";

/** What a rule sees: the parsed runbook, its source for positions, and a way to look up other runbooks. */
export interface RuleContext {
  doc: SourceDocument;
  spec: RunbookSpec;
  /** Returns the params of another runbook by name, or undefined when there is none. */
  findRunbook: (name: string) => RunbookSpec | undefined;
}

export type Rule = (ctx: RuleContext, report: Reporter, reportIn: ExprReporter) => void;

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

/** Every step with its path, in document order. */
export function* steps(spec: RunbookSpec) {
  for (const [s, stage] of spec.stages.entries()) {
    for (const [i, step] of stage.steps.entries()) {
      yield { stage, stageIndex: s, step, index: i, path: ["stages", s, "steps", i] as (string | number)[] };
    }
  }
}
