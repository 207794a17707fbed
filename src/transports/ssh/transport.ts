import type { ParsedKey } from "ssh2";
import { ConnectError, ConnectionLostError, TransportError, type TransportErrorContext } from "../errors.js";
import { DEFAULT_OUTPUT_CAP_BYTES, type ExecRequest, type ExecResult, type Transport } from "../types.js";
import type { SecretPrompter } from "./auth.js";
import { detectBecome, passwordStdin, type SudoSecret } from "./become.js";
import { ChannelPool } from "./channel-pool.js";
import { type ResolvedHost, resolveHost } from "./config.js";
import { openConnection, type SshConnection } from "./connection.js";
import { runControl } from "./control-command.js";
import { Deadline } from "./deadline.js";
import { parseJump } from "./jump-spec.js";
import { type BecomeMode, displayCommand, killGroupLine, remoteCommandLine } from "./remote-command.js";
import { RemoteProcess } from "./remote-process.js";

/** How to reach one host; everything else comes from the OpenSSH config, as `ssh <alias>` would. */
export interface SshTransportOptions {
  /** Host alias, resolved like OpenSSH (HostName, User, Port, IdentityFile, ProxyJump, …). */
  alias: string;
  /** From the runbook target; override the config like `ssh -l` / `ssh -p`. */
  user?: string;
  port?: number;
  become?: "sudo";
  /** Like `ssh -F`: only this config file is read. */
  configFile?: string;
  /** The operator's explicit accept-new: an unknown key is added to known_hosts. A changed key is always refused. */
  acceptNewHostKey?: boolean;
  /** Channels open at once on the one connection, counting the transport's own (sshd's MaxSessions, default 10). */
  maxChannels?: number;
  /** Kept stdout / stderr per command; onOutput still sees everything. */
  outputCapBytes?: number;
  /** Asks for a key passphrase or the sudo password; absent = not interactive: a clear error instead. */
  prompter?: SecretPrompter;
  /** SSH_AUTH_SOCK and HOME are read from here (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Told about things the operator should know but that are not errors (a host key added). */
  onNotice?: (message: string) => void;
}

const DEFAULT_MAX_CHANNELS = 10;
const PGID_WAIT_MS = 2_000;
const KILL_TIMEOUT_MS = 5_000;
const CHANNEL_CLOSE_WAIT_MS = 3_000;

/** The connection dropped while a command ran; carries why, for the ConnectionLostError. */
class LostDuringCommand extends Error {}

const after = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());

/**
 * Runs commands on one host over SSH (ssh2): one connection opened on first use and shared by
 * every step (keepalive, TCP_NODELAY), bounded parallel channels, host keys checked against
 * known_hosts, agent and key auth, `become: sudo`, and timeouts and aborts that end the remote
 * command's whole process group, not only the channel.
 */
export class SshTransport implements Transport {
  readonly kind = "ssh" as const;
  readonly name: string;
  private readonly commands: ChannelPool;
  /** One channel kept back for the transport's own commands (kill on timeout, sudo check). */
  private readonly control = new ChannelPool(1);
  private readonly unlocked = new Map<string, ParsedKey>();
  private readonly sudo: SudoSecret = {};
  private readonly becomeModes = new WeakMap<SshConnection, Promise<BecomeMode>>();
  private resolving: Promise<{ target: ResolvedHost; jumps: ResolvedHost[] }> | undefined;
  private connecting: Promise<SshConnection> | undefined;
  private current: SshConnection | undefined;

  constructor(private readonly options: SshTransportOptions) {
    this.name = options.alias;
    const max = options.maxChannels ?? DEFAULT_MAX_CHANNELS;
    if (!Number.isInteger(max) || max < 2) throw new RangeError(`maxChannels must be an integer ≥ 2 (one is kept for control), got ${max}`);
    this.commands = new ChannelPool(max - 1);
  }

  async exec(request: ExecRequest): Promise<ExecResult> {
    const started = performance.now();
    const context: TransportErrorContext = {
      target: this.name,
      command: displayCommand(request.command, this.options.become === "sudo" ? "sudo" : "none"),
      step: request.step,
    };
    const deadline = new Deadline(request.timeoutMs, request.signal);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await this.attempt(request, deadline, context);
          return { ...result, durationMs: Math.round(performance.now() - started) };
        } catch (error) {
          if (!(error instanceof LostDuringCommand)) throw error;
          // Only a read-only command may run twice; a reconnect happens on the next exec anyway.
          if (request.readOnly && attempt === 1 && !deadline.reason) continue;
          throw this.lostError(request, context, error.message, attempt, performance.now() - started);
        }
      }
    } finally {
      deadline.dispose();
    }
  }

  async close(): Promise<void> {
    const pending = this.connecting?.catch(() => undefined);
    const current = this.current ?? (await pending);
    this.current = undefined;
    await current?.close();
  }

  private lostError(
    request: ExecRequest,
    context: TransportErrorContext,
    reason: string,
    attempts: number,
    ms: number,
  ): ConnectionLostError {
    const step = request.step ? `, step ${request.step}` : "";
    const retried = attempts > 1 ? " (read-only: reconnected and tried once more, lost again)" : "";
    const advice = request.readOnly
      ? "it is read-only, so running it again is safe"
      : "it may or may not have run; check the host before resuming";
    return new ConnectionLostError(
      `host ${this.name}${step}: lost the connection while running ${context.command} (${reason})${retried}; ${advice}. The next command reconnects.`,
      { ...context, durationMs: Math.round(ms) },
    );
  }

  private async attempt(request: ExecRequest, deadline: Deadline, context: TransportErrorContext): Promise<Omit<ExecResult, "durationMs">> {
    const notStarted = "it had not started";
    const slot = await deadline.race(this.commands.acquire(deadline.signal), context, this.name, notStarted);
    try {
      const connection = await deadline.race(this.connection(), context, this.name, notStarted);
      const mode =
        this.options.become === "sudo" ? await deadline.race(this.becomeMode(connection), context, this.name, notStarted) : "none";
      const line = remoteCommandLine(request.command, mode);
      const stdin =
        mode === "sudo-password"
          ? passwordStdin(this.sudo, request.stdin)
          : request.stdin === undefined
            ? undefined
            : Buffer.from(request.stdin);
      let remote: RemoteProcess;
      try {
        remote = await RemoteProcess.start(connection, line, {
          stdin,
          capBytes: this.options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES,
          onOutput: request.onOutput,
        });
      } catch (error) {
        if (connection.closed) throw new LostDuringCommand(connection.lostReason ?? (error as Error).message);
        throw new TransportError(`could not start ${context.command} on ${this.name}: ${(error as Error).message}`, context, {
          cause: error,
        });
      }

      let stopping: Promise<string> | undefined;
      let finishedFirst = false;
      // Registered before the race below, so it sees whether the command ended before any stop.
      remote.done.then(() => {
        finishedFirst = !deadline.reason;
      });
      const onStop = () => {
        stopping ??= this.terminate(connection, remote, mode);
      };
      deadline.signal.addEventListener("abort", onStop, { once: true });
      if (deadline.reason) onStop();
      // terminate() bounds its own waiting, so a host that never closes the channel cannot hang us.
      const end = await Promise.race([remote.done, deadline.fired.then(() => stopping)]);
      deadline.signal.removeEventListener("abort", onStop);
      if (deadline.reason && !finishedFirst)
        throw deadline.error(context, this.name, await (stopping ?? this.terminate(connection, remote, mode)));
      if (typeof end !== "object") throw new TransportError(`${context.command} on ${this.name} stopped without an outcome`, context);
      if (!end.exited) {
        if (connection.closed) throw new LostDuringCommand(connection.lostReason ?? "the connection closed");
        throw new TransportError(`${context.command} on ${this.name} ended without an exit status`, context);
      }
      return { exitCode: end.exitCode, signal: end.signal, stdout: end.stdout, stderr: end.stderr, truncated: end.truncated };
    } finally {
      slot.release();
    }
  }

  /**
   * Ends a timed-out or aborted command's whole process group on the host (over a fresh
   * channel, through sudo when it ran through sudo), then closes its channel. Resolves with a
   * note for the error saying whether the command is known to be gone.
   */
  private async terminate(connection: SshConnection, process: RemoteProcess, mode: BecomeMode): Promise<string> {
    let note = "the remote command was ended";
    const pgid = await process.waitForPgid(PGID_WAIT_MS);
    if (pgid === undefined) {
      note = "its remote process group was not known, so only the channel was closed: check the host for a leftover process";
    } else if (connection.closed) {
      note = "the connection was lost, so the remote command may still be running: check the host";
    } else {
      try {
        await runControl(connection, this.control, killGroupLine(pgid, mode), {
          stdin: mode === "sudo-password" ? passwordStdin(this.sudo) : undefined,
          timeoutMs: KILL_TIMEOUT_MS,
        });
      } catch (error) {
        note = `killing it failed (${(error as Error).message}), so it may still be running: check the host`;
      }
    }
    if ((await Promise.race([process.done.then(() => true), after(CHANNEL_CLOSE_WAIT_MS, false)])) === false) {
      process.forceClose();
      await Promise.race([process.done, after(CHANNEL_CLOSE_WAIT_MS, undefined)]);
    }
    return note;
  }

  private becomeMode(connection: SshConnection): Promise<BecomeMode> {
    let mode = this.becomeModes.get(connection);
    if (!mode) {
      mode = detectBecome(connection, this.control, { prompter: this.options.prompter, secret: this.sudo });
      // A failed check is asked again next time (the operator may have fixed sudoers meanwhile).
      mode.catch(() => this.becomeModes.delete(connection));
      this.becomeModes.set(connection, mode);
    }
    return mode;
  }

  private resolve(): Promise<{ target: ResolvedHost; jumps: ResolvedHost[] }> {
    this.resolving ??= (async () => {
      const { alias, user, port, configFile } = this.options;
      const env = this.options.env ?? process.env;
      const home = env.HOME;
      const target = await resolveHost(alias, { configFile, user, port, home, env });
      if (target.proxyCommand !== undefined && target.proxyJump.length === 0) {
        throw new ConnectError(
          `${alias} is reached with ProxyCommand in ${target.sources.join(", ")}, which recover's SSH transport cannot run: use ProxyJump for it instead`,
          { target: alias },
        );
      }
      const jumps: ResolvedHost[] = [];
      for (const hop of target.proxyJump) {
        const spec = parseJump(hop, target.sources[0] ?? "the ssh config");
        jumps.push(await resolveHost(spec.host, { configFile, user: spec.user, port: spec.port, home, env }));
      }
      return { target, jumps };
    })();
    this.resolving.catch(() => {
      this.resolving = undefined;
    });
    return this.resolving;
  }

  /** The open connection, opening it on first use or after it was lost. */
  private connection(): Promise<SshConnection> {
    if (this.current && !this.current.closed) return Promise.resolve(this.current);
    this.connecting ??= (async () => {
      try {
        const { target, jumps } = await this.resolve();
        const connection = await openConnection(target, jumps, {
          env: this.options.env ?? process.env,
          prompter: this.options.prompter,
          unlocked: this.unlocked,
          acceptNewHostKey: this.options.acceptNewHostKey === true,
          onNotice: this.options.onNotice,
        });
        this.current = connection;
        return connection;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }
}
