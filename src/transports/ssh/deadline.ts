import { AbortedError, TimeoutError, type TransportErrorContext } from "../errors.js";

/** Why a command was stopped early: its timeout, its abort signal, or the transport's close(). */
export type StopReason = "timeout" | "abort" | "closed";

/**
 * Joins a request's timeout, its abort signal and the transport's closing into one signal, and
 * remembers which fired, so every waiting point (queue, connect, sudo check, command) stops the same way.
 */
export class Deadline {
  readonly signal: AbortSignal;
  reason: StopReason | undefined;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  /** Time left on the timeout, as of `since` (performance.now()); the clock stops while paused. */
  private remainingMs: number | undefined;
  private since = performance.now();
  private pauses = 0;
  private readonly onAbort = () => this.fire("abort");
  private readonly onClose = () => this.fire("closed");

  constructor(
    readonly timeoutMs: number | undefined,
    private readonly outer: AbortSignal | undefined,
    private readonly closing?: AbortSignal,
  ) {
    this.signal = this.controller.signal;
    this.remainingMs = timeoutMs;
    this.start();
    if (outer?.aborted) this.fire("abort");
    else outer?.addEventListener("abort", this.onAbort, { once: true });
    if (closing?.aborted) this.fire("closed");
    else closing?.addEventListener("abort", this.onClose, { once: true });
  }

  /** Resolves when the deadline fires; never rejects. */
  get fired(): Promise<StopReason> {
    if (this.reason) return Promise.resolve(this.reason);
    return new Promise((resolve) => this.signal.addEventListener("abort", () => resolve(this.reason ?? "abort"), { once: true }));
  }

  /** Rejects with the stop error when the deadline fires first; otherwise settles like `work`. */
  async race<T>(work: Promise<T>, context: TransportErrorContext, host: string, note: string): Promise<T> {
    if (this.reason) throw this.error(context, host, note);
    let listener: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      listener = () => reject(this.error(context, host, note));
      this.signal.addEventListener("abort", listener, { once: true });
    });
    try {
      // Work that watches the same signal (a queued channel request) fails with the bare reason: name it properly.
      const named = work.catch((error: unknown) => {
        throw this.reason ? this.error(context, host, note) : error;
      });
      return await Promise.race([named, stopped]);
    } finally {
      if (listener) this.signal.removeEventListener("abort", listener);
    }
  }

  /** The error for a fired deadline: `timed out after N s: <command> on <host> (step); <note>`. */
  error(context: TransportErrorContext, host: string, note: string): TimeoutError | AbortedError {
    const step = context.step ? ` (step ${context.step})` : "";
    if (this.reason === "timeout") {
      const seconds = Math.round((this.timeoutMs ?? 0) / 100) / 10;
      return new TimeoutError(`timed out after ${seconds} s: ${context.command} on ${host}${step}; ${note}`, context, this.timeoutMs ?? 0);
    }
    const why = this.reason === "closed" ? " (the transport was closed)" : "";
    return new AbortedError(`aborted${why}: ${context.command} on ${host}${step}; ${note}`, context);
  }

  /** Stops the timeout's clock (the operator is being asked something); pauses nest. */
  pause(): void {
    if (this.pauses++ > 0 || this.remainingMs === undefined) return;
    clearTimeout(this.timer);
    this.remainingMs = Math.max(0, this.remainingMs - (performance.now() - this.since));
  }

  /** Starts the clock again where pause() stopped it. */
  resume(): void {
    if (this.pauses === 0 || --this.pauses > 0) return;
    this.start();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener("abort", this.onAbort);
    this.closing?.removeEventListener("abort", this.onClose);
  }

  private start(): void {
    if (this.remainingMs === undefined || this.reason) return;
    this.since = performance.now();
    this.timer = setTimeout(() => this.fire("timeout"), this.remainingMs);
  }

  private fire(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(reason);
  }
}
