import { ExitCode, RecoverError } from "../errors.js";
import type { Plan } from "../plan/types.js";
import { preflight, unattendedProblem } from "./before-run.js";
import { cleanup } from "./cleanup.js";
import { foundCheckpoint, settledOnArrival } from "./committed-stage.js";
import { RefusedError } from "./errors.js";
import type { RunOutcome } from "./events.js";
import { endLeftovers } from "./leftovers.js";
import type { EngineOptions } from "./options.js";
import type { EngineDeps, StageStatus } from "./ports.js";
import { Run } from "./run.js";
import type { RunState } from "./run-state.js";
import { runStageSteps } from "./stage-runner.js";
import { StepState } from "./step-state.js";

export interface RunResult {
  outcome: RunOutcome;
  exitCode: number;
  reason?: string;
  /** Undo and always steps a second Ctrl-C left undone. */
  leftUndone: string[];
}

/**
 * Executes a Plan: before the first step, what can be known is checked (unattended refusals,
 * every target reached, the lock, the Git checkout); then stages in order, each along its needs
 * graph; on a failure, refusal or Ctrl-C, the undo of completed steps and the `always` steps.
 * Every side effect comes through `deps`; the events are its only output.
 */
export async function runPlan(plan: Plan, deps: EngineDeps, options: EngineOptions): Promise<RunResult> {
  const run = new Run(plan, deps, options.resume ? { ...options, resume: reenterAlways(options.resume, plan) } : options);
  const onInterrupt = () => run.stop({ kind: "interrupted", reason: "interrupted (Ctrl-C)" });
  const onAbandon = () => run.abandon.abort();
  options.interrupt?.addEventListener("abort", onInterrupt);
  options.abandon?.addEventListener("abort", onAbandon);
  if (options.interrupt?.aborted) onInterrupt();
  let release: (() => Promise<void>) | undefined;
  try {
    run.emit({
      type: "run",
      runId: options.runId,
      runbook: plan.runbook.name,
      planHash: options.planHash,
      params: plan.params,
      stages: plan.stages.map((s) => ({
        id: s.id,
        title: s.title,
        steps: s.steps.map((st) => ({ id: st.id, title: st.title, always: st.always, ...(st.target ? { target: st.target } : {}) })),
      })),
      ...(deps.journal.location ? { journal: deps.journal.location } : {}),
      resumed: options.resume !== undefined,
      at: deps.clock.now(),
    });
    const unattended = unattendedProblem(plan, deps.prompter, options);
    if (unattended) throw new RefusedError(`${unattended}; nothing was run`);
    await preflight(run);
    if (deps.lock) release = await deps.lock(plan);
    if (options.resume) await endLeftovers(run);
    await runStages(run);
    const left = run.stopped ? await cleanup(run) : [];
    await commitLastStage(run);
    return finish(run, left);
  } catch (error) {
    if (!(error instanceof RecoverError)) throw error;
    const outcome: RunOutcome = error.exitCode === ExitCode.Locked ? "locked" : "refused";
    run.emit({ type: "finished", outcome, exitCode: error.exitCode, reason: error.message, durationMs: deps.clock.now() - run.startedAt });
    return { outcome, exitCode: error.exitCode, reason: error.message, leftUndone: [] };
  } finally {
    options.interrupt?.removeEventListener("abort", onInterrupt);
    options.abandon?.removeEventListener("abort", onAbandon);
    await release?.().catch(() => undefined);
    await run.close();
  }
}

/**
 * Resume: an `always` step of a stage that is not done is decided again in its place, whatever the
 * cleanup of the run that stopped made of it. Skipped there (its `when` false), or run there (Flux
 * resumed onto the safe state after an early failure): the resumed run reaches it again after the
 * steps it needs, and must do it again (resume Flux, which the resumed run suspends again).
 */
function reenterAlways(state: RunState, plan: Plan): RunState {
  let steps = state.steps;
  for (const stage of plan.stages) {
    if (state.stages[stage.id] === "done") continue;
    for (const step of stage.steps) if (step.always && steps.get(step.id)) steps = steps.without(step.id);
  }
  return { ...state, steps };
}

async function runStages(run: Run): Promise<void> {
  const { stages } = run.plan;
  for (const [index, stage] of stages.entries()) {
    if (run.stopped) return;
    if (run.state.stages[stage.id] === "done") continue;
    const started = run.deps.clock.now();
    const base = { type: "stage" as const, stage: stage.id, index, count: stages.length, title: stage.title };
    run.emit({ ...base, state: "running" });
    const settledBefore = run.options.resume !== undefined && settledOnArrival(stage, run.state);
    const complete = await runStageSteps(run, stage);
    if (!complete) {
      // runStageSteps set it (TypeScript cannot see that across the await).
      const stopped = run.stopped as Run["stopped"];
      run.emit({ ...base, state: stopped?.kind === "interrupted" ? "interrupted" : "failed", reason: stopped?.reason ?? "" });
      return;
    }
    try {
      // A stage whose every step was skipped changed nothing: no commit (a rerun adds none).
      if (stage.steps.every((s) => run.state.steps.get(s.id)?.state === StepState.Skipped))
        run.emit({ type: "notice", message: `stage ${stage.id}: every step skipped, nothing to commit` });
      else if (!(settledBefore && (await foundCheckpoint(run, index)))) await commit(run, index, "done");
    } catch (error) {
      const reason = `checkpoint commit of stage ${stage.id} failed: ${(error as Error).message}`;
      run.stop({ kind: "failed", reason });
      run.emit({ ...base, state: "failed", reason });
      return;
    }
    run.emit({ ...base, state: "done", durationMs: run.deps.clock.now() - started });
  }
}

/** The stage's checkpoint commit, through the port; without the module a notice says none was made. */
async function commit(run: Run, index: number, status: StageStatus): Promise<void> {
  const stage = run.plan.stages[index];
  if (!stage?.checkpoint) return;
  const checkpoints = run.deps.checkpoints;
  if (!checkpoints) {
    run.emit({ type: "notice", message: `stage ${stage.id}: no checkpoint commit (this build has no Git checkpoint module)` });
    return;
  }
  await run.settle();
  const made = await checkpoints.commitStage({
    runId: run.options.runId,
    planHash: run.options.planHash,
    stage,
    stageIndex: index,
    stageCount: run.plan.stages.length,
    status,
    journal: run.deps.journal.text(),
  });
  run.emit({ type: "checkpoint", stage: stage.id, index, status, commit: made.commit, pushed: made.pushed });
}

/** A failed or interrupted run also commits what its last stage changed, with that status. */
async function commitLastStage(run: Run): Promise<void> {
  if (!run.stopped || !run.deps.checkpoints) return;
  const index = run.plan.stages.findIndex((s) => run.state.stages[s.id] === "failed" || run.state.stages[s.id] === "interrupted");
  if (index < 0) return;
  try {
    await commit(run, index, run.stopped.kind === "interrupted" ? "interrupted" : "failed");
  } catch (error) {
    run.emit({ type: "notice", message: `the checkpoint commit of the stopped stage failed: ${(error as Error).message}` });
  }
}

function finish(run: Run, left: string[]): RunResult {
  const durationMs = run.deps.clock.now() - run.startedAt;
  const stopped = run.stopped;
  let outcome: RunOutcome = "done";
  let exitCode: number = ExitCode.Ok;
  if (stopped?.kind === "interrupted") {
    outcome = "interrupted";
    exitCode = ExitCode.Interrupted;
  } else if (stopped) {
    outcome = run.changed ? "failed" : "refused";
    exitCode = run.changed ? ExitCode.Failed : ExitCode.Refused;
  }
  run.emit({
    type: "finished",
    outcome,
    exitCode,
    ...(stopped ? { reason: stopped.step ? `${stopped.step}: ${stopped.reason}` : stopped.reason } : {}),
    durationMs,
    ...(left.length > 0 ? { leftUndone: left } : {}),
  });
  return { outcome, exitCode, ...(stopped ? { reason: stopped.reason } : {}), leftUndone: left };
}
