import type { ExprReporter, Reporter } from "../../source/collector.js";
import type { SourceDocument } from "../../source/source-document.js";
import type { RunbookSpec } from "../schema.js";

/** What a rule sees: the parsed runbook, its source for positions, and a way to look up other runbooks. */
export interface RuleContext {
  doc: SourceDocument;
  spec: RunbookSpec;
  /** Returns another runbook by name, undefined when there is none, or the cycle its loading would close. */
  findRunbook: FindRunbook;
}

export type FindRunbook = (name: string) => RunbookSpec | { cycle: string[] } | undefined;

export type Rule = (ctx: RuleContext, report: Reporter, reportIn: ExprReporter) => void;

/** Every step with its path, in document order. */
export function* steps(spec: RunbookSpec) {
  for (const [s, stage] of spec.stages.entries()) {
    for (const [i, step] of stage.steps.entries()) {
      yield { stage, stageIndex: s, step, index: i, path: ["stages", s, "steps", i] as (string | number)[] };
    }
  }
}
