import { setTimeout as sleep } from "node:timers/promises";
import type { BecomeMode } from "./remote-command.js";
import type { RemoteKiller } from "./remote-killer.js";
import type { RemoteProcess } from "./remote-process.js";

/** What ending a command achieved, checked on the host: `ended` only when none of its processes is left. */
export interface TerminationOutcome {
  ended: boolean;
  /** For the error or notice: "the remote command was ended", or what is left and what to do. */
  note: string;
}

const TERM_GRACE_MS = 1_000;
/** Attempts per phase; a lost connection is replaced between them (the runner reconnects). */
const ATTEMPTS = 3;
const RETRY_PAUSE_MS = [1_000, 3_000];
const CHANNEL_CLOSE_WAIT_MS = 3_000;

const after = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());

async function withRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
      await sleep(RETRY_PAUSE_MS[attempt - 1] ?? 3_000, undefined, { ref: false });
    }
  }
}

/**
 * Ends a timed-out or aborted command on the host: SIGTERM to its processes (its process group,
 * and every process carrying its run marker, so a `setsid` child too), then after a 1 s grace
 * SIGKILL to whatever ignored it, then a check that nothing of it is left. Each phase is tried
 * up to three times, on a new connection when the old one was lost. Finally its channel is closed.
 */
export async function terminateRemote(
  killer: RemoteKiller,
  process: RemoteProcess,
  marker: string,
  mode: BecomeMode,
): Promise<TerminationOutcome> {
  // The pid line may still be on its way; the marker alone finds the processes meanwhile.
  const target = () => ({ marker, ...(process.pgid === undefined ? {} : { pgid: process.pgid }) });
  try {
    const termSent = performance.now();
    let left = await withRetries(() => killer.request("term", target(), mode));
    if (left.length === 0) return { ended: true, note: "the remote command was ended" };
    await sleep(Math.max(0, termSent + TERM_GRACE_MS - performance.now()), undefined, { ref: false });
    left = await withRetries(() => killer.request("kill", target(), mode));
    if (left.length === 0)
      return { ended: true, note: `the remote command was ended (with SIGKILL: it ignored SIGTERM for ${TERM_GRACE_MS / 1000} s)` };
    return {
      ended: false,
      note: `recover could not end the remote command: ${left.length} of its processes still run after SIGKILL (pids ${left.join(", ")}); check the host`,
    };
  } catch (error) {
    return {
      ended: false,
      note: `recover could not end the remote command (${(error as Error).message}; tried ${ATTEMPTS} times), so it may still be running: check the host`,
    };
  } finally {
    // Ended: its channel closes a moment later. Not ended: the host may not answer at all, so do not wait long.
    if ((await Promise.race([process.done.then(() => true), after(CHANNEL_CLOSE_WAIT_MS, false)])) === false) process.forceClose();
  }
}
