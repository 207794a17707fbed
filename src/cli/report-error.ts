import { ExitCode, InputError, RecoverError } from "../errors.js";
import { formatDiagnostics } from "../source/diagnostics.js";
import { ValidationError } from "../source/validation-error.js";

/** Prints an error for the operator and returns the exit code it maps to. */
export function reportError(error: unknown): number {
  if (error instanceof ValidationError) {
    process.stderr.write(`${formatDiagnostics(error.diagnostics, process.cwd())}\n\n${error.message}; nothing was run.\n`);
    return error.exitCode;
  }
  if (error instanceof InputError) {
    process.stderr.write(`recover: error: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ""}`);
    return error.exitCode;
  }
  if (error instanceof RecoverError) {
    process.stderr.write(`recover: error: ${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(`recover: internal error (a bug in recover; please report it): ${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.Internal;
}
