/**
 * Time for controllers and grace periods, injected: real timers in the lab, a clock the test moves
 * in tests (so a test can say "30 s later" without waiting or racing).
 */

/** When things happen: the current time and delayed tasks. */
export interface Scheduler {
  now(): Date;
  /** Runs `task` after `delayMs` (0: soon, never inside the caller); returns a cancel function. */
  schedule(delayMs: number, task: () => void): () => void;
}

/** The wall clock and unref'd timers: a pending task never keeps the process alive. */
export const realScheduler: Scheduler = {
  now: () => new Date(),
  schedule(delayMs, task) {
    const timer = setTimeout(task, Math.max(0, delayMs));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

interface Pending {
  at: number;
  order: number;
  task: () => void;
}

/** A scheduler whose time moves only when the test says so; due tasks run in time order, then in the order scheduled. */
export class ManualScheduler implements Scheduler {
  private current: number;
  private pending: Pending[] = [];
  private order = 0;

  constructor(start: Date | string = "2025-03-01T12:00:00Z") {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  schedule(delayMs: number, task: () => void): () => void {
    const entry = { at: this.current + Math.max(0, delayMs), order: this.order++, task };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  /** Tasks not yet run. */
  get size(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, running every task that falls due (also those scheduled while running). */
  advance(ms = 0): void {
    const until = this.current + ms;
    for (let next = this.nextDue(until); next; next = this.nextDue(until)) {
      this.current = Math.max(this.current, next.at);
      this.pending = this.pending.filter((p) => p !== next);
      next.task();
    }
    this.current = until;
  }

  /** Runs what is due now, and what that schedules for now, without moving time: "let the controllers catch up". */
  settle(): void {
    this.advance(0);
  }

  private nextDue(until: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) if (p.at <= until && (!best || p.at < best.at || (p.at === best.at && p.order < best.order))) best = p;
    return best;
  }
}
