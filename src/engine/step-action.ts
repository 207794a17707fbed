import type { PlannedAction, PlannedStep, ProbeAction } from "../plan/types.js";
import { AbortedError, ConnectionLostError, TimeoutError } from "../transports/errors.js";
import { execOn, tail } from "./exec.js";
import type { FailureKind } from "./retry.js";
import type { Run } from "./run.js";

/** One attempt of a step's action: succeeded with its stdout, or failed with why. */
export type AttemptOutcome =
  | { ok: true; stdout: string; json?: unknown; exitCode?: number | null; stdoutTail?: string; stderrTail?: string }
  | { ok: false; kind: FailureKind; reason: string; exitCode?: number | null; stdoutTail?: string; stderrTail?: string };

/** True when the step may change something: a command or edit not marked readOnly. */
export const isMutating = (step: PlannedStep): boolean =>
  !step.readOnly &&
  (step.action.kind === "sh" || step.action.kind === "kubectl" || step.action.kind === "local" || step.action.kind === "edit");

export function failureKind(error: unknown, signal: AbortSignal): FailureKind {
  if (error instanceof AbortedError || signal.aborted) return "aborted";
  if (error instanceof TimeoutError) return "timeout";
  if (error instanceof ConnectionLostError) return "lost";
  return "error";
}

/** Runs a resolved action once: a command through its transport, an edit through the checkpoint port, a wait. */
export async function attemptAction(
  run: Run,
  step: PlannedStep,
  action: PlannedAction,
  signal: AbortSignal,
  runMarker?: string,
): Promise<AttemptOutcome> {
  switch (action.kind) {
    case "sh":
    case "kubectl":
    case "local":
      return attemptCommand(run, step, action, signal, runMarker);
    case "edit": {
      const checkpoints = run.deps.checkpoints;
      if (!checkpoints)
        return { ok: false, kind: "error", reason: "edit steps need the Git checkpoint module, which this build does not have" };
      try {
        const applied = await checkpoints.applyEdit({ id: step.id, action });
        return { ok: true, stdout: applied.changed ? `edited ${applied.file}` : `${applied.file} already says so` };
      } catch (error) {
        return { ok: false, kind: "error", reason: (error as Error).message };
      }
    }
    case "wait":
      try {
        await run.settle();
        await run.deps.clock.sleep(action.ms, signal);
        return { ok: true, stdout: "" };
      } catch {
        return { ok: false, kind: "aborted", reason: "interrupted while waiting" };
      }
    case "prompt":
      return { ok: false, kind: "error", reason: "a prompt step is asked, not run" };
  }
}

async function attemptCommand(
  run: Run,
  step: PlannedStep,
  action: ProbeAction,
  signal: AbortSignal,
  runMarker: string | undefined,
): Promise<AttemptOutcome> {
  try {
    const result = await execOn(run, action, step.target, {
      step: step.id,
      ...(runMarker !== undefined ? { runMarker } : {}),
      readOnly: !isMutating(step),
      ...(step.timeoutMs ? { timeoutMs: step.timeoutMs } : {}),
      signal,
      live: true,
    });
    const tails = { exitCode: result.exitCode, stdoutTail: tail(result.stdout), stderrTail: tail(result.stderr) };
    if (result.exitCode === 0) return { ok: true, stdout: result.stdout, json: result.json, ...tails };
    const said = result.stderr.trim().split("\n").slice(-3).join(" ⏎ ");
    const how = result.exitCode === null ? `ended by ${result.signal ?? "a signal"}` : `exited ${result.exitCode}`;
    return { ok: false, kind: "exit", reason: `${how}${said ? `: ${said}` : ""}`, ...tails };
  } catch (error) {
    return { ok: false, kind: failureKind(error, signal), reason: (error as Error).message };
  }
}
