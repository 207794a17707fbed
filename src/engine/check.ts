import type { PlannedCheck, PlannedStep } from "../plan/types.js";
import { execOn, resultValue, tail } from "./exec.js";
import { DEFAULT_PROBE_TIMEOUT_MS } from "./options.js";
import type { Run } from "./run.js";
import { conditionAt, resolveAction, resolveText } from "./runtime-expr.js";

/** How a guard, skipIf or verify came out: whether it holds, and what the probe said. */
export interface CheckOutcome {
  holds: boolean;
  /** The probe's output (or the error) for the operator. */
  seen: string;
}

/** A check's title for messages: its title, else its condition. */
export const checkName = (check: PlannedCheck): string => check.title ?? check.expect.replace(/\s*\n\s*/g, " ");

/** Runs a check's read-only probe (when it has one) and evaluates `expect`. A probe that cannot run does not hold. */
export async function runCheck(run: Run, step: PlannedStep, check: PlannedCheck, signal: AbortSignal): Promise<CheckOutcome> {
  let result: ReturnType<typeof resultValue> | undefined;
  if (check.probe) {
    const probe = resolveAction(check.probe, run.context(step)) as typeof check.probe;
    try {
      const executed = await execOn(run, probe, check.target ?? step.target, {
        step: step.id,
        readOnly: true,
        timeoutMs: step.timeoutMs ?? run.options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
        signal,
      });
      result = resultValue(executed);
    } catch (error) {
      if (signal.aborted) throw error;
      return { holds: false, seen: (error as Error).message };
    }
  }
  const holds = conditionAt(check.expect, run.context(step, result));
  const seen = result ? seenOf(result) : "";
  return { holds, seen };
}

/** The message a check carries, resolved with the run's values. */
export const checkMessage = (run: Run, step: PlannedStep, check: PlannedCheck): string =>
  check.message ? resolveText(check.message, run.context(step)) : "";

function seenOf(result: { exitCode: number; stdout: string; stderr: string }): string {
  const parts = [`exit ${result.exitCode}`];
  if (result.stdout.trim()) parts.push(`stdout: ${tail(result.stdout.trim(), 500)}`);
  if (result.stderr.trim()) parts.push(`stderr: ${tail(result.stderr.trim(), 500)}`);
  return parts.join("; ");
}
