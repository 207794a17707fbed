import { ExitCode, InputError, RecoverError } from "../errors.js";
import { formatDiagnostics } from "../source/diagnostics.js";
import { ValidationError } from "../source/validation-error.js";
import { terminalSafe } from "../util/terminal-safe.js";

/** Prints an error for the operator and returns the exit code it maps to. */
export function reportError(error: unknown): number {
  if (error instanceof ValidationError) {
    process.stderr.write(`${formatDiagnostics(error.diagnostics, process.cwd())}\n\n${error.message}; nothing was run.\n`);
    return error.exitCode;
  }
  if (error instanceof InputError) {
    process.stderr.write(`recover: error: ${safe(error.message)}\n${error.hint ? `  hint: ${safe(error.hint)}\n` : ""}`);
    return error.exitCode;
  }
  if (error instanceof RecoverError) {
    process.stderr.write(`recover: error: ${safe(error.message)}\n`);
    return error.exitCode;
  }
  process.stderr.write(`recover: internal error (a bug in recover; please report it): ${safe((error as Error)?.stack ?? String(error))}\n`);
  return ExitCode.Internal;
}

/** Messages carry input (paths, values): its control characters are shown, never acted on. Lines of a message stay lines. */
const safe = (text: string) => terminalSafe(text, true);
