import { cleanupAfterStop } from "../plan/cleanup.js";
import type { PlannedStage, PlannedStep } from "../plan/types.js";
import { execOn } from "./exec.js";
import type { Run } from "./run.js";
import { resolveAction } from "./runtime-expr.js";
import { mover, runStep } from "./step-runner.js";
import { StepState } from "./step-state.js";

/**
 * After a failure, a refusal or Ctrl-C: the undo of completed steps in reverse completion order,
 * then every `always` step that has not run (subject to its `when`). A second Ctrl-C abandons it;
 * what was left undone is returned.
 */
export async function cleanup(run: Run): Promise<string[]> {
  const stageOf = new Map(run.plan.stages.flatMap((stage) => stage.steps.map((s) => [s.id, stage] as const)));
  const left: string[] = [];
  const settled = new Set(
    run.state.steps
      .entries()
      .filter(([, s]) => s?.state === StepState.Succeeded || s?.state === StepState.Skipped)
      .map(([id]) => id),
  );
  // The same rule the preview's "if it fails" section shows (src/plan/cleanup.ts).
  const { undo: undos, always } = cleanupAfterStop(run.plan, run.state.steps.completed(), settled);
  for (const step of undos) {
    if (run.abandon.signal.aborted) left.push(`undo of ${step.id}`);
    else await undo(run, stageOf.get(step.id) as PlannedStage, step);
  }
  for (const step of always) {
    if (run.abandon.signal.aborted) left.push(step.id);
    else await runStep(run, stageOf.get(step.id) as PlannedStage, step, { signal: run.abandon.signal });
  }
  return left;
}

async function undo(run: Run, stage: PlannedStage, step: PlannedStep): Promise<void> {
  const move = mover(run, stage, step);
  const spec = step.undo as NonNullable<PlannedStep["undo"]>;
  move(StepState.Undoing, { reason: spec.title ?? `undo of ${step.title}` });
  try {
    const action = resolveAction(spec.action, run.context(step));
    if (action.kind === "sh" || action.kind === "kubectl" || action.kind === "local") {
      await run.durable();
      const result = await execOn(run, action, spec.target ?? step.target, {
        step: step.id,
        readOnly: false,
        signal: run.abandon.signal,
        ...(step.timeoutMs ? { timeoutMs: step.timeoutMs } : {}),
        live: true,
      });
      if (result.exitCode !== 0) throw new Error(`undo exited ${result.exitCode}: ${result.stderr.trim().split("\n").at(-1) ?? ""}`);
    } else if (action.kind === "edit") {
      if (!run.deps.checkpoints) throw new Error("an edit undo needs the Git checkpoint module");
      await run.deps.checkpoints.applyEdit({ id: step.id, action });
    } else if (action.kind === "wait") {
      await run.settle();
      await run.deps.clock.sleep(action.ms, run.abandon.signal);
    }
    move(StepState.Undone);
  } catch (error) {
    move(StepState.UndoFailed, { reason: (error as Error).message });
  }
  run.endRecorded();
}
