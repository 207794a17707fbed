import type { ClientChannel } from "ssh2";
import { OutputBuffer } from "../output-buffer.js";
import type { OutputStream } from "../types.js";
import type { SshConnection } from "./connection.js";
import { PgidMarkerFilter } from "./pgid-marker.js";

/** How a remote command ended. `exited` false: the channel closed without an exit status. */
export interface RemoteEnd {
  exited: boolean;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
  stderrBytes: Buffer;
  truncated: boolean;
}

export interface RemoteProcessOptions {
  /** Written to the command's stdin, then stdin is closed. */
  stdin?: Buffer;
  capBytes: number;
  onOutput?: (stream: OutputStream, chunk: Buffer) => void;
}

/**
 * One command running on its own channel: streams its output, keeps it up to a cap, learns
 * its process group from the pid marker, and reports how it ended.
 */
export class RemoteProcess {
  readonly done: Promise<RemoteEnd>;
  private readonly marker = new PgidMarkerFilter();
  private readonly pgidWaiters: Array<(pgid: number | undefined) => void> = [];

  private constructor(
    private readonly channel: ClientChannel,
    options: RemoteProcessOptions,
  ) {
    const stdout = new OutputBuffer(options.capBytes);
    const stderr = new OutputBuffer(options.capBytes);
    const emit = (stream: OutputStream, buffer: OutputBuffer, chunk: Buffer) => {
      if (chunk.length === 0) return;
      buffer.push(chunk);
      options.onOutput?.(stream, chunk);
    };
    let exitCode: number | null = null;
    let signal: string | null = null;
    let exited = false;
    channel.on("exit", (code: number | null, signalName?: string) => {
      exited = true;
      exitCode = code ?? null;
      signal = code === null || code === undefined ? (signalName ?? null) : null;
    });
    channel.on("data", (chunk: Buffer) => emit("stdout", stdout, chunk));
    const stderrEnded = new Promise<void>((resolve) => {
      channel.stderr.on("data", (chunk: Buffer) => {
        emit("stderr", stderr, this.marker.push(chunk));
        if (this.marker.pgid !== undefined) this.settlePgid();
      });
      channel.stderr.once("end", resolve);
      channel.once("close", () => setImmediate(resolve));
    });
    this.done = new Promise((resolve) => {
      channel.once("close", async () => {
        await stderrEnded;
        emit("stderr", stderr, this.marker.flush());
        this.settlePgid();
        resolve({
          exited,
          exitCode,
          signal,
          stdout: stdout.text(),
          stderr: stderr.text(),
          stdoutBytes: stdout.bytes(),
          stderrBytes: stderr.bytes(),
          truncated: stdout.truncated || stderr.truncated,
        });
      });
    });
    channel.on("error", () => {});
    channel.end(options.stdin);
  }

  /** Starts `line` on a new channel of `connection`; resolves once the server accepted it. */
  static start(connection: SshConnection, line: string, options: RemoteProcessOptions): Promise<RemoteProcess> {
    return connection.exec(line, (channel) => new RemoteProcess(channel, options));
  }

  /** The remote process group, once the pid line arrived (undefined if it never does). */
  get pgid(): number | undefined {
    return this.marker.pgid;
  }

  /** Waits up to `ms` for the pid line; undefined when it has not come (or the channel closed). */
  waitForPgid(ms: number): Promise<number | undefined> {
    if (this.marker.pgid !== undefined) return Promise.resolve(this.marker.pgid);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.marker.pgid), ms);
      this.pgidWaiters.push((pgid) => {
        clearTimeout(timer);
        resolve(pgid);
      });
    });
  }

  /** Closes the channel from our side without waiting for the command. */
  forceClose(): void {
    try {
      this.channel.close();
    } catch {
      this.channel.destroy();
    }
  }

  private settlePgid(): void {
    for (const waiter of this.pgidWaiters.splice(0)) waiter(this.marker.pgid);
  }
}
