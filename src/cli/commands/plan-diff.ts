import { planDiffs, type StageDiff } from "../../checkpoint/diff.js";
import { InputError } from "../../errors.js";
import type { Plan } from "../../plan/types.js";
import type { DetailLine } from "../../preview/text.js";

/** The diff each checkpoint would commit, as preview lines per stage; `problems` counts stages with an edit that cannot apply. */
export function checkpointDiffLines(plan: Plan, repoDir: string | undefined): { lines: (s: number) => DetailLine[]; problems: number } {
  if (!repoDir) throw new InputError("--diff needs the GitOps checkout the edits apply to", "pass --gitops DIR (or set RECOVER_GITOPS)");
  const byStage = new Map(planDiffs(plan, repoDir).map((d) => [d.stageIndex, d]));
  const problems = [...byStage.values()].filter((d) => d.problem).length;
  return { lines: (s) => stageLines(byStage.get(s)), problems };
}

function stageLines(diff: StageDiff | undefined): DetailLine[] {
  if (!diff) return [];
  const lines: DetailLine[] = [];
  if (diff.problem)
    lines.push({ text: `✗ cannot apply, so this stage writes none of its edits: ${diff.problem.message}`, tone: "problem" });
  for (const patch of diff.patches) {
    for (const text of patch.replace(/\n$/, "").split("\n")) {
      const tone = /^(\+\+\+|---)/.test(text)
        ? "header"
        : text.startsWith("@@")
          ? "hunk"
          : text.startsWith("+")
            ? "added"
            : text.startsWith("-")
              ? "removed"
              : undefined;
      lines.push({ text, ...(tone ? { tone } : {}) });
    }
  }
  for (const note of diff.notes) lines.push({ text: `note: ${note}`, tone: "note" });
  return lines;
}
