import { realpathSync } from "node:fs";
import { join } from "node:path";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import type { Plan } from "../plan/types.js";
import type { EditAction } from "./edit-step.js";
import { EditError } from "./errors.js";
import { readRepoFile } from "./repo-file.js";
import { journalPath, SOURCEIGNORE, withRecoverIgnored } from "./sourceignore.js";
import { type FileChange, WorkingCopy } from "./working-copy.js";

/** What one stage's checkpoint would commit, worked out in memory. */
export interface StageDiff {
  stageIndex: number;
  stageId: string;
  /** Unified diffs (`--- a/file`, `+++ b/file`), one per changed file, in path order. */
  patches: string[];
  /** What the diff cannot show exactly: run-time values, run-time conditions, the journal. */
  notes: string[];
  /** The edit that cannot apply to this checkout; the stage then writes none of its edits. */
  problem?: EditError;
}

/**
 * The unified diff each checkpoint of the plan would commit, stage after stage, by applying the
 * edits to a copy of the checkout held in memory. Reads the checkout; writes nothing.
 */
export function planDiffs(plan: Plan, repoDir: string): StageDiff[] {
  const root = realpathSync(repoDir);
  const copy = new WorkingCopy(root);
  let ignoreShown = false;
  const out: StageDiff[] = [];
  for (const [stageIndex, stage] of plan.stages.entries()) {
    if (!stage.checkpoint) continue;
    const notes: string[] = [];
    let problem: EditError | undefined;
    for (const step of stage.steps) {
      if (step.action.kind !== "edit" || step.skip) continue;
      try {
        copy.apply(step.action as EditAction, step.id);
      } catch (error) {
        if (!(error instanceof EditError)) throw error;
        problem = error;
        break;
      }
      if (step.deferred.length > 0)
        notes.push(`${step.id}: values known only at run time are shown as written (${step.deferred.join("; ")})`);
      if (step.when) notes.push(`${step.id}: shown as if it runs; it runs only when ${step.when}`);
    }
    const changes = copy.takeChanges();
    if (problem) {
      for (const c of changes) copy.apply(restore(c)); // all or nothing: the stage writes none of its edits
      copy.takeChanges();
    }
    const shown = problem ? [] : changes;
    if (!ignoreShown) {
      ignoreShown = true;
      const before = readRepoFile({ rel: SOURCEIGNORE, abs: join(root, SOURCEIGNORE) });
      const after = withRecoverIgnored(before);
      if (after !== undefined) shown.push({ file: SOURCEIGNORE, before, after });
    }
    notes.push(`${journalPath("<run id>")}: the run's journal up to this stage (secrets redacted)`);
    shown.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)); // as git diff orders them
    out.push({ stageIndex, stageId: stage.id, patches: shown.map(unifiedDiff), notes, ...(problem ? { problem } : {}) });
  }
  return out;
}

/** A unified diff of one file, as `git diff` heads it. */
export function unifiedDiff(change: FileChange): string {
  const from = change.before === undefined ? "/dev/null" : `a/${change.file}`;
  const to = change.after === undefined ? "/dev/null" : `b/${change.file}`;
  return createTwoFilesPatch(from, to, change.before ?? "", change.after ?? "", undefined, undefined, {
    headerOptions: FILE_HEADERS_ONLY,
  });
}

/** An edit that puts a file back as it was. */
function restore(change: FileChange): EditAction {
  return change.before === undefined
    ? { kind: "edit", file: change.file, remove: true }
    : { kind: "edit", file: change.file, content: change.before };
}
