import { hasTemplate } from "../../expr/template.js";
import type { Plan, PlannedAction } from "../../plan/types.js";
import { realRepoPathProblem } from "../../runbook/repo-path.js";
import type { Diagnostic } from "../../source/diagnostics.js";
import { ValidationError } from "../../source/validation-error.js";

/**
 * Where each planned edit really leads in the checkout (symlinks resolved): planning is pure, so
 * this I/O runs here, before anything could run. Reported at the step that edits.
 */
export function checkEditPaths(plan: Plan, repoDir: string): void {
  const problems: Diagnostic[] = [];
  for (const stage of plan.stages) {
    for (const step of stage.steps) {
      if (step.skip) continue;
      const edits: [string, PlannedAction | undefined][] = [
        ["edit.file", step.action],
        ["undo.edit.file", step.undo?.action],
      ];
      for (const [field, action] of edits) {
        if (action?.kind !== "edit" || hasTemplate(action.file)) continue;
        const problem = realRepoPathProblem(repoDir, action.file);
        if (!problem) continue;
        const { file, line, column } = step.origin;
        problems.push({
          path: `${step.id}: ${field}`,
          message: `file ${problem}`,
          hint: "edits change files of the GitOps repository itself: point the path at a real file inside it",
          position: { file, line, column },
        });
      }
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
}
