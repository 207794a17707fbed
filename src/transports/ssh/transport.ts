import type { ParsedKey } from "ssh2";
import { ConnectError, TransportError, type TransportErrorContext } from "../errors.js";
import { DEFAULT_OUTPUT_CAP_BYTES, type ExecRequest, type ExecResult, type Transport } from "../types.js";
import type { SecretPrompter } from "./auth.js";
import { detectBecome, type SudoSecret } from "./become.js";
import { ChannelPool } from "./channel-pool.js";
import { refuseNul } from "./command-check.js";
import { type ResolvedHost, resolveHost } from "./config.js";
import { openConnection, type SshConnection } from "./connection.js";
import { Deadline } from "./deadline.js";
import { jumpChain } from "./jump-chain.js";
import { connectionLostError, LostDuringCommand, mayTryAgain, neverSent } from "./lost-connection.js";
import { type BecomeMode, displayCommand, remoteCommandLine } from "./remote-command.js";
import { RemoteProcess } from "./remote-process.js";
import { passwordThenStdin } from "./sudo-stdin.js";
import { terminateRemote } from "./terminate.js";

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
/** How long to wait for the remote shell's pid line before giving up on telling onStart. */
const PGID_REPORT_WAIT_MS = 2_000;
const NOT_CONFIRMED = "the host had not confirmed the start of the command; if it still starts it, recover ends it";

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
  /** Aborted by close(): every exec in flight stops (its remote command ended) and none is retried. */
  private closing = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

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
    refuseNul(request.command, context);
    const deadline = new Deadline(request.timeoutMs, request.signal, this.closing.signal);
    const run = this.run(request, deadline, context, started);
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
      deadline.dispose();
    }
  }

  /**
   * Ends every command still running (on the host too, as a timeout would) and then the
   * connection. Idempotent; a later exec connects again.
   */
  async close(): Promise<void> {
    const closing = this.closing;
    this.closing = new AbortController();
    closing.abort();
    await Promise.allSettled([...this.inFlight]);
    const pending = this.connecting?.catch(() => undefined);
    const current = this.current ?? (await pending);
    this.current = undefined;
    await current?.close();
  }

  /** One exec: an attempt, and for a read-only command one more after a lost connection. */
  private async run(request: ExecRequest, deadline: Deadline, context: TransportErrorContext, started: number): Promise<ExecResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.attempt(request, deadline, context);
        return { ...result, durationMs: Math.round(performance.now() - started) };
      } catch (error) {
        if (!(error instanceof LostDuringCommand)) throw error;
        // Only a read-only command may run twice; one that never started may run its first time.
        if (mayTryAgain(request, error) && attempt === 1 && !deadline.reason) continue;
        throw connectionLostError(this.name, request, context, error, attempt, performance.now() - started);
      }
    }
  }

  private async attempt(request: ExecRequest, deadline: Deadline, context: TransportErrorContext): Promise<Omit<ExecResult, "durationMs">> {
    const notStarted = "it had not started";
    const slot = await deadline.race(this.commands.acquire(deadline.signal), context, this.name, notStarted);
    try {
      const connection = await deadline.race(this.connection(), context, this.name, notStarted);
      const mode = this.options.become === "sudo" ? await this.becomeOn(connection, deadline, context) : "none";
      const line = remoteCommandLine(request.command, mode);
      const stdin =
        mode === "sudo-password"
          ? passwordThenStdin(this.sudo.password ?? "", request.stdin)
          : request.stdin === undefined
            ? undefined
            : Buffer.from(request.stdin);
      const starting = RemoteProcess.start(connection, line, {
        stdin,
        capBytes: this.options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES,
        onOutput: request.onOutput,
      });
      let remote: RemoteProcess;
      try {
        // A host that stopped answering never confirms the start: the deadline must not wait for it.
        remote = await deadline.race(starting, context, this.name, NOT_CONFIRMED);
      } catch (error) {
        if (deadline.reason) {
          // sshd may still start it once it answers again: end it then, as the error promises.
          starting.then((late) => this.terminate(connection, late, mode)).catch(() => undefined);
          throw error;
        }
        const message = (error as Error).message;
        if (connection.closed) throw new LostDuringCommand(connection.lostReason ?? message, !neverSent(error));
        throw new TransportError(
          `could not start ${context.command} on ${this.name}: ${message}; it did not run (sshd refused the session: check its log and MaxSessions on ${this.name})`,
          context,
          { cause: error },
        );
      }

      if (request.onStart) {
        const told = request.onStart;
        remote.waitForPgid(PGID_REPORT_WAIT_MS).then((pgid) => pgid !== undefined && told({ pgid }));
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
        if (connection.closed) throw new LostDuringCommand(connection.lostReason ?? "the connection closed", true);
        throw new TransportError(`${context.command} on ${this.name} ended without an exit status`, context);
      }
      const { exitCode, signal, stdout, stderr, stdoutBytes, stderrBytes, truncated } = end;
      return { exitCode, signal, stdout, stderr, stdoutBytes, stderrBytes, truncated };
    } finally {
      slot.release();
    }
  }

  private terminate(connection: SshConnection, process: RemoteProcess, mode: BecomeMode): Promise<string> {
    return terminateRemote(connection, this.control, process, mode, this.sudo.password);
  }

  /** How this command gets root; a connection lost during the sudo check is lost before the command started. */
  private async becomeOn(connection: SshConnection, deadline: Deadline, context: TransportErrorContext): Promise<BecomeMode> {
    try {
      return await deadline.race(this.becomeMode(connection), context, this.name, "it had not started");
    } catch (error) {
      if (!deadline.reason && connection.closed) throw new LostDuringCommand(connection.lostReason ?? (error as Error).message, false);
      throw error;
    }
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
      const jumps = await jumpChain(target, (spec) => resolveHost(spec.host, { configFile, user: spec.user, port: spec.port, home, env }));
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
    // Only close() stops a connect: a step's timeout must not fail the other steps waiting for it.
    const closing = this.closing.signal;
    this.connecting ??= (async () => {
      try {
        const { target, jumps } = await this.resolve();
        const connection = await openConnection(target, jumps, {
          signal: closing,
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
