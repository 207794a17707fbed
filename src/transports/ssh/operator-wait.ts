import type { SecretPrompter } from "../types.js";
import type { Deadline } from "./deadline.js";

/**
 * Commands waiting on the operator: a login asking for a key passphrase, a sudo check asking
 * for the password. While a question is open, the deadlines of the commands waiting for it are
 * paused, so time at a prompt never counts against a step's timeout; and once none of them waits
 * any more (aborted, the transport closed), the question is withdrawn: nothing is left asking.
 */
export class OperatorWait {
  private readonly waiting = new Set<Deadline>();
  private readonly open = new Set<AbortController>();

  /** Settles like `work`, counting `deadline` among those waiting for the operator meanwhile. */
  async during<T>(deadline: Deadline, work: Promise<T>): Promise<T> {
    this.waiting.add(deadline);
    if (this.open.size > 0) deadline.pause();
    try {
      return await work;
    } finally {
      this.waiting.delete(deadline);
      if (this.open.size > 0) deadline.resume();
      if (this.waiting.size === 0) for (const question of this.open) question.abort();
    }
  }

  /** `inner`, asking with the clocks of the waiting commands stopped, and withdrawn as said above or by `closing`. */
  prompter(inner: SecretPrompter, closing: () => AbortSignal): SecretPrompter {
    return {
      secret: async (message) => {
        const question = new AbortController();
        if (this.open.size === 0) for (const deadline of this.waiting) deadline.pause();
        this.open.add(question);
        // Nobody waits for this answer (the command that started the check has given up).
        if (this.waiting.size === 0) question.abort();
        try {
          return await inner.secret(message, { signal: AbortSignal.any([question.signal, closing()]) });
        } finally {
          this.open.delete(question);
          if (this.open.size === 0) for (const deadline of this.waiting) deadline.resume();
        }
      },
    };
  }
}
