import type { Plan, PlannedStep } from "./types.js";

/** What runs after a run stops (a step failed, a guard refused, Ctrl-C), in the order it runs. */
export interface Cleanup {
  /** The undo of every completed step that has one, the most recently completed first. */
  undo: PlannedStep[];
  /** Then every `always` step that has not succeeded or been skipped, in plan order; each still subject to its `when`. */
  always: PlannedStep[];
}

/**
 * The cleanup rule, over the plan and what the run did: `completed` holds the steps that succeeded,
 * in the order they completed (a step skipped by skipIf did nothing and has nothing to undo);
 * `settled` the steps that succeeded or were skipped. The engine runs exactly this; the preview
 * shows it per stage through {@link failureCleanup}.
 */
export function cleanupAfterStop(plan: Plan, completed: readonly string[], settled: ReadonlySet<string>): Cleanup {
  const steps = plan.stages.flatMap((s) => s.steps);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const undo = [...completed]
    .reverse()
    .map((id) => byId.get(id))
    .filter((s): s is PlannedStep => s?.undo !== undefined);
  const always = steps.filter((s) => s.always && !s.skip && !settled.has(s.id));
  return { undo, always };
}

/** A failure in one stage, as the preview shows it. */
export interface StageFailure {
  /** Undo of this stage's steps, most recent first: each runs only if its step completed before the failure. */
  stageUndo: PlannedStep[];
  /** Then the undo of the earlier stages' steps, most recent first (assuming each of them ran). */
  earlierUndo: PlannedStep[];
  /** Then the always steps: this stage's that have not run yet, and every later stage's. */
  always: PlannedStep[];
}

/**
 * What a failure in stage `stageIndex` leaves to run, assuming the earlier stages completed every
 * step they planned, in plan order. Within the failing stage it depends on how far the stage got:
 * the undo of the steps that completed, in reverse, so the preview lists them all, last first.
 */
export function failureCleanup(plan: Plan, stageIndex: number): StageFailure {
  const earlier = plan.stages.slice(0, stageIndex).flatMap((s) => s.steps.filter((st) => !st.skip));
  const stage = plan.stages[stageIndex]?.steps.filter((st) => !st.skip) ?? [];
  const settled = new Set(earlier.map((s) => s.id));
  const before = cleanupAfterStop(
    plan,
    earlier.map((s) => s.id),
    settled,
  );
  const within = cleanupAfterStop(
    plan,
    stage.map((s) => s.id),
    new Set(),
  );
  return { stageUndo: within.undo, earlierUndo: before.undo, always: before.always };
}
