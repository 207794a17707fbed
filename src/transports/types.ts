/**
 * The one way recover reaches the world: every step runs through a Transport.
 * Nothing else in the code opens a socket or spawns a process.
 */

/** What to run: an argv (never through a shell on our side) or a POSIX sh script. */
export type Command =
  | { argv: string[] }
  /** Runs under `/bin/sh` with `set -eu` in front (the runbook language's contract). */
  | { script: string };

export type OutputStream = "stdout" | "stderr";

export interface ExecRequest {
  command: Command;
  /** Written to the command's stdin, then stdin is closed. Without it stdin is empty. */
  stdin?: string | Buffer;
  /**
   * Ends the command (remote side too) and throws TimeoutError. Positive; absent means no
   * timeout. Time spent waiting for the operator (a password or passphrase prompt) does not count.
   */
  timeoutMs?: number;
  /** Ends the command (remote side too) and throws AbortedError. */
  signal?: AbortSignal;
  /** Called with each chunk as it arrives, for the live view. Never capped. */
  onOutput?: (stream: OutputStream, chunk: Buffer) => void;
  /**
   * True when running it twice does no harm: only then may a transport reconnect
   * and repeat it after losing the connection. Mutating steps are never repeated.
   */
  readOnly?: boolean;
  /** Names the step in errors ("host k3s1, step wipe[sdf1]: …"). */
  step?: string;
  /**
   * Told once the command runs: its process group on the host (ssh) or its pid (local), so a
   * journal can record it and a resume can make sure it is gone. Over ssh also `runMarker`: every
   * process the command starts carries RECOVER_RUN=<runMarker> in its environment, even one that
   * left the process group (`setsid`).
   */
  onStart?: (process: { pgid?: number; pid?: number; runMarker?: string }) => void;
  /**
   * The marker to put on the command's processes (RECOVER_RUN in their environment, see
   * src/transports/run-marker.ts); a fresh one when absent. The engine journals it before the
   * command starts, so that a resume after a crash finds the command's processes, and only those.
   */
  runMarker?: string;
}

export interface ExecResult {
  /** Null when the command was ended by a signal. */
  exitCode: number | null;
  signal: string | null;
  /** The kept stdout as UTF-8 text: invalid sequences become U+FFFD. Use `stdoutBytes` for binary output. */
  stdout: string;
  stderr: string;
  /**
   * The kept bytes exactly as the command wrote them (binary, other encodings). Set by every
   * transport recover ships; optional only so that a test double may leave them out.
   */
  stdoutBytes?: Buffer;
  stderrBytes?: Buffer;
  /** True when stdout or stderr exceeded the transport's cap and was cut. */
  truncated: boolean;
  durationMs: number;
  /** kubectl only: the API's Status reason when the command failed (NotFound, Conflict, …). */
  reason?: KubeReason;
  /** kubectl only: stdout parsed when the command asked for `-o json`. */
  json?: unknown;
}

/** Why kubectl failed, from the server's Status or kubectl's own message; guards test it. */
export type KubeReason =
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Invalid"
  | "Forbidden"
  | "Unauthorized"
  | "Unreachable"
  | "Timeout"
  | "Other";

export type TransportKind = "ssh" | "kubectl" | "local";

/**
 * A connection to one target. Connects on first use; `close` is idempotent.
 * A non-zero exit is a result, not an error: guards and skipIf test it.
 * Errors thrown are TransportError subclasses (src/transports/errors.ts).
 */
export interface Transport {
  readonly kind: TransportKind;
  /** How errors and the live view name it: the host alias, the kube context, "local". */
  readonly name: string;
  exec(request: ExecRequest): Promise<ExecResult>;
  close(): Promise<void>;
}

/** Default cap on kept stdout and on kept stderr, per command. Streams are never capped. */
export const DEFAULT_OUTPUT_CAP_BYTES = 16 * 1024 * 1024;

/** Asks the operator for a secret (key passphrase, sudo password); absent when not interactive. */
export interface SecretPrompter {
  /**
   * `signal` withdraws the question: nothing waits for the answer any more (the command gave up,
   * the transport closed). The prompt then goes away and the promise rejects.
   */
  secret(message: string, options?: { signal?: AbortSignal }): Promise<string>;
}
