import { planDiffs, type StageDiff } from "../../checkpoint/diff.js";
import { InputError } from "../../errors.js";
import type { Plan } from "../../plan/types.js";

/** The diff each checkpoint would commit, as preview lines per stage; `problems` counts edits that cannot apply. */
export function checkpointDiffLines(
  plan: Plan,
  repoDir: string | undefined,
  color: boolean,
): { lines: (s: number) => string[]; problems: number } {
  if (!repoDir) throw new InputError("--diff needs the GitOps checkout the edits apply to", "pass --gitops DIR (or set RECOVER_GITOPS)");
  const byStage = new Map(planDiffs(plan, repoDir).map((d) => [d.stageIndex, d]));
  const problems = [...byStage.values()].filter((d) => d.problem).length;
  return { lines: (s) => formatStage(byStage.get(s), color), problems };
}

function formatStage(diff: StageDiff | undefined, color: boolean): string[] {
  if (!diff) return [];
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  if (diff.problem) lines.push(paint("31", `✗ cannot apply, so this stage writes none of its edits: ${diff.problem.message}`));
  for (const patch of diff.patches) {
    for (const line of patch.replace(/\n$/, "").split("\n")) {
      if (line.startsWith("+++") || line.startsWith("---")) lines.push(paint("1", line));
      else if (line.startsWith("@@")) lines.push(paint("36", line));
      else if (line.startsWith("+")) lines.push(paint("32", line));
      else if (line.startsWith("-")) lines.push(paint("31", line));
      else lines.push(line);
    }
  }
  for (const note of diff.notes) lines.push(paint("2", `note: ${note}`));
  return lines;
}
