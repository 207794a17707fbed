/** Exit codes of the `recover` command; documented in README.md. This file is the bottom layer: it imports nothing of ours. */
export enum ExitCode {
  /** Everything asked for was done (or, for a dry-run, planned). */
  Ok = 0,
  /** The run stopped after it started changing things (a failed step, guard or refusal); the journal says where. */
  Failed = 1,
  /** Bad input: runbook, inventory, parameters or flags. Nothing ran. */
  InvalidInput = 2,
  /** Refused before anything changed (preflight, a first guard, the operator said no, no terminal without --yes). */
  Refused = 3,
  /** Another run holds the lock of a node or cluster this plan touches. */
  Locked = 4,
  /** Interrupted (Ctrl-C); the run can be resumed. */
  Interrupted = 130,
  /** A bug in recover. */
  Internal = 70,
}

/** Base of every error recover raises on purpose; `exitCode` is what the CLI exits with. */
export class RecoverError extends Error {
  readonly exitCode: ExitCode = ExitCode.Failed;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The operator's input is wrong (runbook, inventory, parameters, flags): nothing ran. */
export class InputError extends RecoverError {
  override readonly exitCode = ExitCode.InvalidInput;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A bug in recover itself, never the operator's fault. */
export class InternalError extends RecoverError {
  override readonly exitCode = ExitCode.Internal;
}

/** A capability this version does not have yet; says what to use instead. */
export class NotYetError extends RecoverError {
  override readonly exitCode = ExitCode.Refused;
}
