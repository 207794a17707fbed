import type { PlannedStage, PlannedStep } from "../plan/types.js";
import type { Run } from "./run.js";
import { runStep } from "./step-runner.js";
import { isSettled, StepState, wasInFlight } from "./step-state.js";

/**
 * Runs a stage's steps along its needs graph: every step whose needs are settled starts, at most
 * `parallel` at once, in plan order among those ready. After a failure nothing new starts; steps
 * in flight were aborted by stop(). Resolves true when every step of the stage is settled.
 */
export async function runStageSteps(run: Run, stage: PlannedStage): Promise<boolean> {
  const settled = (id: string) => {
    const record = run.state.steps.get(id);
    return record !== undefined && isSettled(record.state);
  };
  const pending = stage.steps.filter((s) => !settled(s.id));
  // Resume: which of them had started their action when the run stopped.
  const reenter = new Set(pending.filter((s) => wasInFlightNow(run, s)).map((s) => s.id));
  const { waiting, dependents, order } = needsGraph(stage, pending, settled);
  const byOrder = (a: PlannedStep, b: PlannedStep) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0);
  const ready: PlannedStep[] = pending.filter((s) => (waiting.get(s.id) ?? 0) === 0);
  const running = new Map<string, Promise<void>>();
  let left = pending.length;

  while (!run.stopped) {
    while (ready.length > 0 && running.size < run.options.parallel && !run.stopped) {
      const step = ready.shift() as PlannedStep;
      const work = runStep(run, stage, step, { signal: run.abort.signal, reenter: reenter.has(step.id) }).then((end) => {
        running.delete(step.id);
        if (end.state === StepState.Failed) {
          run.stop({ kind: end.kind === "aborted" ? "interrupted" : end.kind, step: step.id, reason: end.reason });
          return;
        }
        left--;
        for (const next of dependents.get(step.id) ?? []) {
          const count = (waiting.get(next.id) ?? 1) - 1;
          waiting.set(next.id, count);
          if (count === 0) ready.push(next);
        }
        // Plan order among the ready, so a sequence reads as written.
        ready.sort(byOrder);
      });
      running.set(step.id, work);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  await Promise.all(running.values());
  return !run.stopped && left === 0;

  function wasInFlightNow(r: Run, step: PlannedStep): boolean {
    const record = r.state.steps.get(step.id);
    return record !== undefined && wasInFlight(record);
  }
}

/** For each pending step, how many of its needs (in this stage, not yet settled) it waits for, and who waits on whom. */
function needsGraph(stage: PlannedStage, pending: PlannedStep[], settled: (id: string) => boolean) {
  const inStage = new Set(stage.steps.map((s) => s.id));
  const order = new Map(stage.steps.map((s, i) => [s.id, i]));
  const waiting = new Map<string, number>();
  const dependents = new Map<string, PlannedStep[]>();
  for (const step of pending) {
    const open = step.needs.filter((need) => inStage.has(need) && !settled(need));
    waiting.set(step.id, open.length);
    for (const need of open) dependents.set(need, [...(dependents.get(need) ?? []), step]);
  }
  return { waiting, dependents, order };
}
