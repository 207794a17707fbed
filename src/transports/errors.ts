import { ExitCode, RecoverError } from "../errors.js";

/** Where a transport failure happened, carried as fields (execa-style), not only in the text. */
export interface TransportErrorContext {
  /** The host alias, kube context or "local". */
  target: string;
  /** The command as the operator would read it. */
  command?: string;
  step?: string;
  durationMs?: number;
}

/** A command could not be run or finished abnormally; the message says what to do next. */
export class TransportError extends RecoverError {
  readonly target: string;
  readonly command?: string;
  readonly step?: string;
  readonly durationMs?: number;
  constructor(message: string, context: TransportErrorContext, options?: ErrorOptions) {
    super(message, options);
    this.target = context.target;
    this.command = context.command;
    this.step = context.step;
    this.durationMs = context.durationMs;
  }
}

/** Could not connect or log in (DNS, refused, auth, host key). Nothing ran. */
export class ConnectError extends TransportError {}

/**
 * Why a host key was refused: not in known_hosts, different from it, marked @revoked, named by
 * a known_hosts line that cannot be read, or a host certificate that does not verify.
 */
export type HostKeyChange = "unknown" | "changed" | "revoked" | "unreadable" | "certificate";

/** The host's key was refused (see {@link HostKeyChange}). Nothing was sent. */
export class HostKeyError extends ConnectError {
  constructor(
    message: string,
    context: TransportErrorContext,
    readonly change: HostKeyChange,
    readonly keyType: string,
    readonly fingerprint: string,
  ) {
    super(message, context);
  }
}

/** The connection dropped while a command ran: it may or may not have finished remotely. */
export class ConnectionLostError extends TransportError {}

/** The command ran past its timeout; the message says whether it was ended on the remote side too (checked there). */
export class TimeoutError extends TransportError {
  constructor(
    message: string,
    context: TransportErrorContext,
    readonly timeoutMs: number,
  ) {
    super(message, context);
  }
}

/** The run was aborted (Ctrl-C, a sibling failed); the command was ended. */
export class AbortedError extends TransportError {}

/** `become: sudo` could not get root without a password and none could be asked for. */
export class BecomeError extends TransportError {}

/** The command itself cannot be sent (a NUL byte in it): a runbook problem, found before anything was sent. */
export class BadCommandError extends TransportError {
  override readonly exitCode = ExitCode.InvalidInput;
}

/** A program recover needs (kubectl, git, ssh-agent) is not installed. */
export class MissingToolError extends TransportError {}
