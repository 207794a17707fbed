import { InputError } from "../errors.js";
import type { Diagnostic } from "./diagnostics.js";

/** Validation found problems; every one of them is listed, each with its source position. */
export class ValidationError extends InputError {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`${diagnostics.length} problem${diagnostics.length === 1 ? "" : "s"} found`);
  }
}
