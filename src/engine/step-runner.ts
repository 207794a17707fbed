import type { PlannedAction, PlannedStage, PlannedStep } from "../plan/types.js";
import { newRunMarker } from "../transports/run-marker.js";
import { captureValue } from "./captures.js";
import { checkMessage, checkName, runCheck } from "./check.js";
import type { EventOf } from "./events.js";
import { retryDecision, verifyDecision } from "./retry.js";
import type { Run } from "./run.js";
import { conditionAt, resolveAction } from "./runtime-expr.js";
import { type AttemptOutcome, attemptAction, isMutating } from "./step-action.js";
import { confirmStep, gateStep, manualStep, reenterGate } from "./step-gates.js";
import { StepState } from "./step-state.js";

/** A command on a target (not an edit, a wait or a prompt): what a marker can be put on. */
const isCommand = (action: PlannedAction): boolean => action.kind === "sh" || action.kind === "kubectl" || action.kind === "local";

/** How a step ended for the scheduler. */
export type StepEnd =
  | { state: StepState.Succeeded | StepState.Skipped }
  | { state: StepState.Failed; kind: "failed" | "guard" | "refused" | "aborted"; reason: string };

export interface StepRunOptions {
  signal: AbortSignal;
  /** Resume: the step was running when the run stopped; it is entered only through skipIf and guards. */
  reenter?: boolean;
}

type Extra = Omit<EventOf<"step">, "type" | "step" | "stage" | "title" | "target" | "state">;

/** Emits the step's next state. */
export function mover(run: Run, stage: PlannedStage, step: PlannedStep) {
  return (state: StepState, extra: Extra = {}) =>
    run.emit({
      type: "step",
      step: step.id,
      stage: stage.id,
      title: step.title,
      ...(step.target ? { target: step.target } : {}),
      state,
      ...extra,
    });
}

/** One step through its phases: when, --step, skipIf, guards, confirm, action with retry and timeout, verify, capture. */
export async function runStep(run: Run, stage: PlannedStage, step: PlannedStep, options: StepRunOptions): Promise<StepEnd> {
  const move = mover(run, stage, step);
  const fail = (kind: "failed" | "guard" | "refused" | "aborted", reason: string, extra: Extra = {}): StepEnd => {
    move(StepState.Failed, { reason, ...extra });
    return { state: StepState.Failed, kind, reason };
  };
  const skip = (reason: string): StepEnd => {
    move(StepState.Skipped, { reason });
    return { state: StepState.Skipped };
  };
  try {
    if (step.skip) return skip(step.skip);
    if (step.when && !conditionAt(step.when, run.context(step))) return skip(`when: ${step.when} is false`);
    const gate = await gateStep(run, step);
    if (gate === "no") return skip("the operator skipped it (--step)");
    if (gate === "quit") return fail("refused", "the operator quit (--step)");
    move(StepState.Running, { attempt: 0 });
    if (step.skipIf) {
      const done = await runCheck(run, step, step.skipIf, options.signal);
      if (done.holds) return skip(`already done: ${checkName(step.skipIf)}`);
    }
    for (const guard of step.guards) {
      const held = await runCheck(run, step, guard, options.signal);
      if (!held.holds) {
        const message = checkMessage(run, step, guard);
        return fail(
          "guard",
          `guard "${checkName(guard)}" does not hold${message ? `: ${message}` : ""}${held.seen ? ` (${held.seen})` : ""}`,
        );
      }
    }
    const mutating = isMutating(step);
    // An edit needs no skipIf to be entered again: re-applying one already in the file is a no-op.
    if (options.reenter && mutating && !step.skipIf && step.action.kind !== "edit") {
      const refused = await reenterGate(run, stage, step);
      if (refused) return fail("refused", refused);
    }
    const action = resolveAction(step.action, run.context(step));
    if (step.destructive) {
      move(StepState.AwaitingConfirmation);
      const refused = await confirmStep(run, step, action, options.signal);
      if (refused) return fail("refused", refused);
    }
    if (action.kind === "prompt") {
      move(StepState.AwaitingConfirmation);
      const refused = await manualStep(run, step, action.message);
      if (refused) return fail("refused", refused);
      move(StepState.Running, { attempt: 1, action });
      move(StepState.Succeeded, { durationMs: 0 });
      return { state: StepState.Succeeded };
    }
    if (mutating) run.changed = true;
    const started = run.deps.clock.now();
    let outcome: AttemptOutcome | undefined;
    // Named before it starts, so the write-ahead record already tells its processes from any other.
    const runMarker = mutating && isCommand(action) ? newRunMarker() : undefined;
    for (let attempt = 1; ; attempt++) {
      move(StepState.Running, { attempt, action, mutating, ...(runMarker ? { runMarker } : {}) });
      // Write-ahead: on disk, this record says the action may have run (resume will not repeat it blindly).
      if (mutating && attempt === 1) await run.durable();
      outcome = await attemptAction(run, step, action, options.signal, runMarker);
      if (outcome.ok) break;
      const decision = retryDecision(step.retry, attempt, outcome.kind, mutating);
      if (!decision.again) {
        const { ok: _ok, kind, reason, ...tails } = outcome;
        const end = fail(kind === "aborted" ? "aborted" : "failed", reason, {
          attempt,
          durationMs: run.deps.clock.now() - started,
          ...tails,
        });
        if (mutating) run.endRecorded();
        return end;
      }
      move(StepState.Retrying, { attempt, reason: `${outcome.reason}; trying again in ${decision.delayMs} ms` });
      await run.deps.clock.sleep(decision.delayMs, options.signal).catch(() => undefined);
      if (options.signal.aborted) return fail("aborted", "interrupted while waiting to try again");
    }
    if (step.verify) {
      const verify = step.verify;
      const since = run.deps.clock.now();
      for (;;) {
        const polled = await runCheck(run, step, verify, options.signal);
        if (polled.holds) break;
        const next = verifyDecision(since, run.deps.clock.now(), verify);
        if (!next.again) {
          const message = checkMessage(run, step, verify);
          return fail(
            "failed",
            `verify "${checkName(verify)}" did not hold within ${verify.timeoutMs / 1000} s${message ? `: ${message}` : ""}${polled.seen ? ` (last: ${polled.seen})` : ""}`,
          );
        }
        await run.deps.clock.sleep(next.waitMs, options.signal).catch(() => undefined);
        if (options.signal.aborted) return fail("aborted", "interrupted while verifying");
      }
    }
    if (step.capture) {
      let value: unknown;
      try {
        value = captureValue(outcome.stdout, step.capture.format, outcome.json);
      } catch {
        return fail("failed", `capture ${step.capture.as}: stdout is not JSON`);
      }
      run.emit({ type: "capture", step: step.id, as: step.capture.as, value });
    }
    const { ok: _ok, stdout: _stdout, json: _json, ...tails } = outcome;
    move(StepState.Succeeded, { durationMs: run.deps.clock.now() - started, ...tails });
    if (mutating) run.endRecorded();
    return { state: StepState.Succeeded };
  } catch (error) {
    if (options.signal.aborted) return fail("aborted", "interrupted");
    return fail("failed", (error as Error).message);
  }
}
