import { RecoverError } from "../../errors.js";

/** The machine lacks what the SSH lab needs (sshd, sudo, lab users) and recover cannot add it. */
export class LabSetupError extends RecoverError {
  constructor(
    message: string,
    /** Debian packages or setup steps that are missing. */
    readonly missing: string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** An sshd did not start or stopped answering; the message carries the tail of its log. */
export class SshdStartError extends RecoverError {
  constructor(
    message: string,
    readonly logFile: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
