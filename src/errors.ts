import { ExitCode } from "./cli/exit-codes.js";
import type { Diagnostic } from "./runbook/diagnostics.js";

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

/** Validation found problems; every one of them is listed, each with its source position. */
export class ValidationError extends InputError {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`${diagnostics.length} problem${diagnostics.length === 1 ? "" : "s"} found`);
  }
}

/** A bug in recover itself, never the operator's fault. */
export class InternalError extends RecoverError {
  override readonly exitCode = ExitCode.Internal;
}

/** A capability this version does not have yet; says what to use instead. */
export class NotYetError extends RecoverError {
  override readonly exitCode = ExitCode.NotImplemented;
}
