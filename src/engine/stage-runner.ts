import type { PlannedStage, PlannedStep } from "../plan/types.js";
import type { Run } from "./run.js";
import { runStep } from "./step-runner.js";
import { isSettled, StepState, wasInFlight } from "./step-state.js";

/**
 * Runs a stage's steps along its needs graph: every step whose needs are settled starts, at most
 * `parallel` at once. After a failure nothing new starts; steps in flight were aborted by stop().
 * Resolves true when every step of the stage is settled.
 */
export async function runStageSteps(run: Run, stage: PlannedStage): Promise<boolean> {
  const inStage = new Set(stage.steps.map((s) => s.id));
  const settled = (id: string) => {
    const record = run.state.steps[id];
    return record !== undefined && isSettled(record.state);
  };
  const pending = stage.steps.filter((s) => !settled(s.id));
  // Resume: which of them had started their action when the run stopped.
  const reenter = new Set(pending.filter((s) => wasInFlightNow(run, s)).map((s) => s.id));
  const running = new Map<string, Promise<void>>();
  const ready = (step: PlannedStep) => step.needs.every((need) => !inStage.has(need) || settled(need));

  while (!run.stopped) {
    for (const step of pending) {
      if (running.size >= run.options.parallel || run.stopped) break;
      if (running.has(step.id) || !ready(step)) continue;
      const work = runStep(run, stage, step, { signal: run.abort.signal, reenter: reenter.has(step.id) }).then((end) => {
        running.delete(step.id);
        pending.splice(pending.indexOf(step), 1);
        if (end.state === StepState.Failed)
          run.stop({ kind: end.kind === "aborted" ? "interrupted" : end.kind, step: step.id, reason: end.reason });
      });
      running.set(step.id, work);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  await Promise.all(running.values());
  return !run.stopped && pending.length === 0;
}

function wasInFlightNow(run: Run, step: PlannedStep): boolean {
  const record = run.state.steps[step.id];
  return record !== undefined && wasInFlight(record);
}
