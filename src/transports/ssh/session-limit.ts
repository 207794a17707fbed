import { ChannelPool } from "./channel-pool.js";
import type { RefusedOpen, SshConnection } from "./connection.js";

/**
 * How many sessions (channels) sshd allows on one connection (its MaxSessions), as far as known:
 * the configured maximum until a refused open shows less. One session is kept back for the
 * transport's own commands (kills, the sudo check); the rest run steps' commands.
 */
export class SessionBudget {
  readonly commands: ChannelPool;
  readonly control = new ChannelPool(1);

  constructor(private limit: number) {
    if (!Number.isInteger(limit) || limit < 2)
      throw new RangeError(`maxChannels must be an integer ≥ 2 (one is kept for control), got ${limit}`);
    this.commands = new ChannelPool(limit - 1);
  }

  get sessions(): number {
    return this.limit;
  }

  /**
   * Learns from sshd refusing an open while every channel it ever allowed at once was open: it
   * allows that many, no more. True when the refusal is explained by that limit (the caller
   * waits for a slot and tries again: a refused open ran nothing).
   */
  learn(refusal: RefusedOpen): boolean {
    const seen = refusal.mostOpen;
    if (seen < 1 || refusal.openChannels < seen) return false;
    if (seen < this.limit) {
      this.limit = seen;
      this.commands.resize(Math.max(1, seen - 1));
    }
    return true;
  }

  /** Whether sshd would open one more channel on `connection`. */
  fits(connection: SshConnection): boolean {
    return connection.openChannels < this.limit;
  }
}
