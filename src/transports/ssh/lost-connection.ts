import { ConnectionLostError, type TransportErrorContext } from "../errors.js";
import type { ExecRequest } from "../types.js";

/** The connection dropped while a command ran (or before it started); carries why, for the ConnectionLostError. */
export class LostDuringCommand extends Error {
  constructor(
    reason: string,
    /** False when the exec request never left: the command cannot have run, so trying it is safe. */
    readonly started: boolean,
  ) {
    super(reason);
  }
}

/** ssh2's errors for a channel that was never opened: the exec request was never sent. */
const NEVER_SENT = /^(Not connected|No response from server|\(SSH\) Channel open failure|Channel is not open)/;

/** True when a failed channel start cannot have run anything on the host. */
export const neverSent = (error: unknown): boolean => NEVER_SENT.test((error as Error).message ?? "");

/** May a lost command be tried (once more) on a new connection? Read-only ones, and ones that never started. */
export const mayTryAgain = (request: ExecRequest, lost: LostDuringCommand): boolean => request.readOnly === true || !lost.started;

/**
 * The error for a command whose connection was lost: host, step and command, whether it may
 * have run, and what the operator does next.
 */
export function connectionLostError(
  host: string,
  request: ExecRequest,
  context: TransportErrorContext,
  lost: LostDuringCommand,
  attempts: number,
  ms: number,
): ConnectionLostError {
  const step = request.step ? `, step ${request.step}` : "";
  const retried = attempts > 1 ? " (reconnected and tried once more, lost again)" : "";
  const what = lost.started ? `while running ${context.command}` : `before ${context.command} started`;
  const advice = !lost.started
    ? "it did not run"
    : request.readOnly
      ? "it is read-only, so running it again is safe"
      : "it may or may not have run; check the host before resuming";
  return new ConnectionLostError(
    `host ${host}${step}: lost the connection ${what} (${lost.message})${retried}; ${advice}. The next command reconnects.`,
    { ...context, durationMs: Math.round(ms) },
  );
}
