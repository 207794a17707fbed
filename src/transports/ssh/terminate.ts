import type { ChannelPool } from "./channel-pool.js";
import type { SshConnection } from "./connection.js";
import { runControl } from "./control-command.js";
import { type BecomeMode, killGroupLine } from "./remote-command.js";
import type { RemoteProcess } from "./remote-process.js";
import { passwordLine } from "./sudo-stdin.js";

const PGID_WAIT_MS = 2_000;
const KILL_TIMEOUT_MS = 5_000;
const CHANNEL_CLOSE_WAIT_MS = 3_000;

const after = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());

/**
 * Ends a timed-out or aborted command's whole process group on the host (over a control
 * channel, through sudo when it ran through sudo), then closes its channel. Bounded: a host
 * that stopped answering cannot hold it up. Resolves with a note for the error saying whether
 * the command is known to be gone.
 */
export async function terminateRemote(
  connection: SshConnection,
  control: ChannelPool,
  process: RemoteProcess,
  mode: BecomeMode,
  sudoPassword: string | undefined,
): Promise<string> {
  const pgid = await process.waitForPgid(PGID_WAIT_MS);
  let failed: string | undefined;
  if (pgid === undefined) {
    failed = "its remote process group was not known, so only the channel was closed: check the host for a leftover process";
  } else if (connection.closed) {
    failed = "the connection was lost, so the remote command may still be running: check the host";
  } else {
    try {
      await runControl(connection, control, killGroupLine(pgid, mode), {
        stdin: mode === "sudo-password" ? passwordLine(sudoPassword ?? "") : undefined,
        timeoutMs: KILL_TIMEOUT_MS,
      });
    } catch (error) {
      failed = `killing it failed (${(error as Error).message}), so it may still be running: check the host`;
    }
  }
  // Killed: its channel closes a moment later. Not killed: the host may not answer at all, so do not wait.
  if (failed || (await Promise.race([process.done.then(() => true), after(CHANNEL_CLOSE_WAIT_MS, false)])) === false) {
    process.forceClose();
  }
  return failed ?? "the remote command was ended";
}
