import type { Plan, PlannedStage, PlannedStep } from "../plan/types.js";
import type { EditAction } from "./edit-step.js";

const resolved = (file: string) => !file.includes("${{");

/** Every file the plan's edit steps (and their undo) may change, as the plan names them. */
export function editedFiles(plan: Plan): string[] {
  const files = plan.stages.flatMap((stage) =>
    stage.steps.flatMap((step) => {
      if (step.skip) return [];
      const actions = [step.action, step.undo?.action].filter((a): a is EditAction => a?.kind === "edit");
      return actions.map((a) => a.file).filter(resolved);
    }),
  );
  return [...new Set(files)];
}

/**
 * The edit steps of `stage` after `stepId` whose effect is known before they run: not skipped, no
 * run-time `when`, nothing deferred to run time. Applied in memory to check a stage before its first write.
 */
export function laterEdits(stage: PlannedStage, stepId: string): (PlannedStep & { action: EditAction })[] {
  const at = stage.steps.findIndex((s) => s.id === stepId);
  return stage.steps
    .slice(at + 1)
    .filter((s): s is PlannedStep & { action: EditAction } => s.action.kind === "edit" && !s.skip && !s.when && s.deferred.length === 0);
}
