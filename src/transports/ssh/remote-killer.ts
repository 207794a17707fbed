import { type KillPhase, type KillTarget, killLine, parseKillReport } from "./kill-script.js";
import type { BecomeMode } from "./remote-command.js";
import { sudoPrefix } from "./remote-command.js";
import { passwordLine } from "./sudo-stdin.js";

/** Runs one of the transport's own command lines on the host (with `stdin` for sudo's password); rejects when it could not. */
export type ControlRunner = (
  line: string,
  stdin: Buffer | undefined,
) => Promise<{ exitCode: number | null; stdout: string; stderr: string }>;

interface Request {
  phase: KillPhase;
  target: KillTarget;
  mode: BecomeMode;
  resolve: (left: number[]) => void;
  reject: (error: Error) => void;
}

/**
 * Ends timed-out commands with as few control commands as possible: every request that arrives
 * while one batch runs goes into the next, one script per phase and sudo mode, so nine commands
 * timing out together cost one or two short scripts, not nine kills waiting behind each other.
 * Each phase's script is short (its waiting is bounded to a fraction of a second); the grace
 * between SIGTERM and SIGKILL is waited out here, not on a channel.
 */
export class RemoteKiller {
  private pending: Request[] = [];
  private running = false;

  constructor(
    private readonly run: ControlRunner,
    private readonly sudoPassword: () => string | undefined,
  ) {}

  /** Runs `phase` for `target`; resolves with the pids of it still alive afterwards ([] = nothing of it is left). */
  request(phase: KillPhase, target: KillTarget, mode: BecomeMode): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ phase, target, mode, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Requests made in the same turn of the event loop (timeouts firing together) share the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      const groups = new Map<string, Request[]>();
      for (const request of batch) {
        const key = `${request.phase} ${request.mode}`;
        groups.set(key, [...(groups.get(key) ?? []), request]);
      }
      await Promise.all([...groups.values()].map((group) => this.runGroup(group)));
    }
    this.running = false;
  }

  private async runGroup(group: Request[]): Promise<void> {
    const { phase, mode } = group[0] as Request;
    try {
      const line = killLine(
        phase,
        group.map((r) => r.target),
        sudoPrefix(mode),
      );
      const password = this.sudoPassword();
      const result = await this.run(line, mode === "sudo-password" ? passwordLine(password ?? "") : undefined);
      if (result.exitCode !== 0)
        throw new Error(`the kill script failed (exit ${result.exitCode}): ${result.stderr.trim() || "no message"}`);
      const left = parseKillReport(result.stdout);
      for (const request of group) request.resolve(left.get(request.target.marker) ?? []);
    } catch (error) {
      for (const request of group) request.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
