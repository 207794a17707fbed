import { TransportError } from "../errors.js";
import type { ChannelPool, ChannelSlot } from "./channel-pool.js";
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
 * `timeoutMs` bounds all of it, the wait for a slot and for the host to start it included: a
 * host that stopped answering must not hold up a timeout or an abort.
 */
export async function runControl(
  connection: SshConnection,
  pool: ChannelPool,
  line: string,
  options: { stdin?: Buffer; timeoutMs: number },
): Promise<ControlResult> {
  const expired = new AbortController();
  const timer = setTimeout(() => expired.abort(), options.timeoutMs);
  const timedOut = new Promise<"timeout">((resolve) => expired.signal.addEventListener("abort", () => resolve("timeout")));
  const noAnswer = () => new TransportError(`no answer within ${options.timeoutMs / 1000} s`, { target: connection.target.alias });
  let slot: ChannelSlot | undefined;
  try {
    slot = await pool.acquire(expired.signal).catch(() => undefined);
    if (!slot) throw noAnswer();
    const starting = RemoteProcess.start(connection, line, { stdin: options.stdin, capBytes: CONTROL_CAP_BYTES });
    const started = await Promise.race([starting, timedOut]);
    if (started === "timeout") {
      // Started late after all: close it from our side, nobody waits for its answer any more.
      starting.then((late) => late.forceClose()).catch(() => undefined);
      throw noAnswer();
    }
    const end = await Promise.race([started.done, timedOut]);
    if (end === "timeout") {
      started.forceClose();
      throw noAnswer();
    }
    if (!end.exited)
      throw new TransportError(connection.lostReason ?? "the channel closed without an exit status", { target: connection.target.alias });
    return { exitCode: end.exitCode, stdout: end.stdout, stderr: end.stderr };
  } finally {
    clearTimeout(timer);
    slot?.release();
  }
}
