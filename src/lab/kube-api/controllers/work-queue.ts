/**
 * A controller's work queue, as client-go's: a key queued twice before it is processed is processed
 * once; a failed key comes back after a backoff that doubles; processing never runs inside the write
 * that queued it, so a runbook's verify polling sees the state before the controller acts.
 */
import type { Scheduler } from "./scheduler.js";

export interface WorkQueueOptions {
  /** First retry delay after a failure; doubles per consecutive failure of the same key. Default 100 ms. */
  retryBaseMs?: number;
  /** Longest retry delay. Default 30 s. */
  retryMaxMs?: number;
  /** Told about a failure (the key will be retried). */
  onError?: (key: string, error: unknown) => void;
}

/** Keys to reconcile, processed one at a time in the order queued. */
export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly delayed = new Map<string, () => void>();
  private readonly failures = new Map<string, number>();
  private cancelDrain: (() => void) | undefined;
  private stopped = false;
  private running = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly process: (key: string) => void,
    private readonly options: WorkQueueOptions = {},
  ) {}

  /** Queues a key for processing soon (deduplicated with one already waiting). */
  add(key: string): void {
    if (this.stopped) return;
    this.queued.add(key);
    this.scheduleDrain();
  }

  /** Queues a key after `delayMs` (a grace period ending, a requeue); an earlier pending addAfter of the key is replaced. */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    this.delayed.get(key)?.();
    if (delayMs <= 0) {
      this.delayed.delete(key);
      this.add(key);
      return;
    }
    this.delayed.set(
      key,
      this.scheduler.schedule(delayMs, () => {
        this.delayed.delete(key);
        this.add(key);
      }),
    );
  }

  get length(): number {
    return this.queued.size;
  }

  stop(): void {
    this.stopped = true;
    this.cancelDrain?.();
    for (const cancel of this.delayed.values()) cancel();
    this.delayed.clear();
    this.queued.clear();
  }

  private scheduleDrain(): void {
    if (this.cancelDrain || this.running) return;
    this.cancelDrain = this.scheduler.schedule(0, () => {
      this.cancelDrain = undefined;
      this.drain();
    });
  }

  // Synchronous on purpose: the store is, so a test's settle() sees every reconcile finished.
  private drain(): void {
    this.running = true;
    try {
      while (!this.stopped && this.queued.size > 0) {
        const key = this.queued.values().next().value as string;
        this.queued.delete(key);
        this.processOne(key);
      }
    } finally {
      this.running = false;
    }
  }

  private processOne(key: string): void {
    try {
      this.process(key);
      this.failures.delete(key);
    } catch (error) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      this.options.onError?.(key, error);
      const base = this.options.retryBaseMs ?? 100;
      this.addAfter(key, Math.min(base * 2 ** (failures - 1), this.options.retryMaxMs ?? 30_000));
    }
  }
}
