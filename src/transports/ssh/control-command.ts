import { TransportError } from "../errors.js";
import type { ChannelPool } from "./channel-pool.js";
import type { SshConnection } from "./connection.js";
import { RemoteProcess } from "./remote-process.js";

/** What a control command printed and how it ended. */
export interface ControlResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

const CONTROL_CAP_BYTES = 64 * 1024;

/**
 * Runs one of the transport's own short commands (the sudo check, killing a timed-out command)
 * on a channel from the reserved control pool, so it never waits behind the steps' commands.
 */
export async function runControl(
  connection: SshConnection,
  pool: ChannelPool,
  line: string,
  options: { stdin?: Buffer; timeoutMs: number },
): Promise<ControlResult> {
  const slot = await pool.acquire();
  let timer: NodeJS.Timeout | undefined;
  try {
    const process = await RemoteProcess.start(connection, line, { stdin: options.stdin, capBytes: CONTROL_CAP_BYTES });
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), options.timeoutMs);
    });
    const end = await Promise.race([process.done, timedOut]);
    if (end === "timeout") {
      process.forceClose();
      throw new TransportError(`no answer within ${options.timeoutMs / 1000} s`, { target: connection.target.alias });
    }
    if (!end.exited)
      throw new TransportError(connection.lostReason ?? "the channel closed without an exit status", { target: connection.target.alias });
    return { exitCode: end.exitCode, stdout: end.stdout, stderr: end.stderr };
  } finally {
    clearTimeout(timer);
    slot.release();
  }
}
