import { ExitCode, RecoverError } from "../errors.js";

/** Refused before anything changed: preflight, a first guard, the operator said no, no terminal without --yes. */
export class RefusedError extends RecoverError {
  override readonly exitCode = ExitCode.Refused;
}

/** Another run holds the lock of a node or cluster the plan touches. */
export class LockedError extends RecoverError {
  override readonly exitCode = ExitCode.Locked;
  constructor(
    message: string,
    readonly holder: string,
  ) {
    super(message);
  }
}

/** Why a step stopped the run, as fields (the summary and JSON events show them). */
export interface StepFailure {
  step: string;
  /** failed: the action or verify; guard: a guard did not hold; refused: the operator (or --yes rules) said no. */
  kind: "failed" | "guard" | "refused" | "aborted";
  reason: string;
}
