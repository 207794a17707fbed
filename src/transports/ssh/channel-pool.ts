/** A slot on the connection; give it back exactly once with `release`. */
export interface ChannelSlot {
  release(): void;
}

interface Waiter {
  grant: (slot: ChannelSlot) => void;
}

/**
 * Bounds how many channels run at once on one connection (sshd refuses more than its
 * MaxSessions, 10 by default); further requests wait in arrival order.
 */
export class ChannelPool {
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(private slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`a channel pool needs at least 1 slot, got ${slots}`);
  }

  get size(): number {
    return this.slots;
  }

  /** Shrinks (or grows) the pool; slots in use above a smaller size are not passed on when released. */
  resize(slots: number): void {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`a channel pool needs at least 1 slot, got ${slots}`);
    this.slots = slots;
    while (this.active < this.slots && this.queue.length > 0) {
      this.active++;
      this.queue.shift()?.grant(this.slot());
    }
  }

  /** Channels in use now. */
  get inUse(): number {
    return this.active;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves with a slot when one is free; `signal` withdraws the request while it still waits. */
  acquire(signal?: AbortSignal): Promise<ChannelSlot> {
    if (this.active < this.slots) {
      this.active++;
      return Promise.resolve(this.slot());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (slot) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(slot);
        },
      };
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal?.reason);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private slot(): ChannelSlot {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        // The slot passes straight to the next waiter (`active` stays the same), unless the pool shrank.
        const next = this.active <= this.slots ? this.queue.shift() : undefined;
        if (next) next.grant(this.slot());
        else this.active--;
      },
    };
  }
}
