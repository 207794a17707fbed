import { TransportError, type TransportErrorContext } from "../errors.js";
import { DEFAULT_OUTPUT_CAP_BYTES, type ExecRequest, type ExecResult, type SecretPrompter, type Transport } from "../types.js";
import { detectBecome, type SudoSecret } from "./become.js";
import { ChannelPool } from "./channel-pool.js";
import { refuseNul } from "./command-check.js";
import { RefusedOpen, type SshConnection } from "./connection.js";
import { type ControlResult, runControl } from "./control-command.js";
import { Deadline } from "./deadline.js";
import { HostConnections } from "./host-connections.js";
import { connectionLostError, LostDuringCommand, mayTryAgain, neverSent } from "./lost-connection.js";
import { OperatorWait } from "./operator-wait.js";
import { type BecomeMode, displayCommand, newRunMarker, remoteCommandLine } from "./remote-command.js";
import { RemoteKiller } from "./remote-killer.js";
import { RemoteProcess } from "./remote-process.js";
import { SessionBudget } from "./session-limit.js";
import { stopNote } from "./stop-report.js";
import { passwordThenStdin } from "./sudo-stdin.js";
import { type TerminationOutcome, terminateRemote } from "./terminate.js";
import type { SshTransportOptions } from "./transport-options.js";

export type { SshTransportOptions } from "./transport-options.js";

const after = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

const DEFAULT_MAX_CHANNELS = 10;
/** How long to wait for the remote shell's pid line before telling onStart without it. */
const PGID_REPORT_WAIT_MS = 2_000;
const NOT_CONFIRMED = "the host had not confirmed the start of the command; if it still starts it, recover ends it";
/** Bounds each of the transport's own commands (a kill phase, a sudo check's step), the wait for its channel included. */
const CONTROL_TIMEOUT_MS = 5_000;
/** How long close() lets commands still being ended in the background finish before closing the connection under them. */
const CLOSE_TERMINATIONS_WAIT_MS = 10_000;

/**
 * Runs commands on one host over SSH (ssh2): one connection opened on first use and shared by
 * every step (keepalive, TCP_NODELAY), bounded parallel channels (sshd's MaxSessions, learned
 * from its refusals), host keys checked against known_hosts (and host certificates against
 * `@cert-authority`), agent and key auth, `become: sudo`, and timeouts and aborts that end
 * every process of the remote command, not only the channel, and say what they achieved.
 */
export class SshTransport implements Transport {
  readonly kind = "ssh" as const;
  readonly name: string;
  private readonly sessions: SessionBudget;
  private readonly killer: RemoteKiller;
  private readonly sudo: SudoSecret = {};
  private readonly becomeModes = new WeakMap<SshConnection, Promise<BecomeMode>>();
  private readonly connections: HostConnections;
  private readonly operator = new OperatorWait();
  private readonly prompter: SecretPrompter | undefined;
  /** The control channel of the spare connection (see runControl). */
  private readonly spareControl = new ChannelPool(1);
  /** Aborted by close(): every exec in flight stops (its remote command ended) and none is retried. */
  private closing = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Commands being ended, also after their exec has reported. */
  private readonly terminations = new Set<Promise<unknown>>();

  constructor(private readonly options: SshTransportOptions) {
    this.name = options.alias;
    this.sessions = new SessionBudget(options.maxChannels ?? DEFAULT_MAX_CHANNELS);
    // Every question to the operator stops the waiting commands' clocks and is withdrawn when none waits.
    this.prompter = options.prompter && this.operator.prompter(options.prompter, () => this.closing.signal);
    this.connections = new HostConnections({ ...options, prompter: this.prompter });
    this.killer = new RemoteKiller(
      (line, stdin) => this.runControl(line, { stdin, timeoutMs: CONTROL_TIMEOUT_MS }),
      () => this.sudo.password,
    );
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
    await Promise.race([Promise.allSettled([...this.terminations]), after(CLOSE_TERMINATIONS_WAIT_MS)]);
    await this.connections.close();
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
    const marker = request.runMarker ?? newRunMarker();
    for (;;) {
      const slot = await deadline.race(this.sessions.commands.acquire(deadline.signal), context, this.name, notStarted);
      try {
        const connecting = deadline.race(this.connections.main(this.closing.signal), context, this.name, notStarted);
        const connection = await this.operator.during(deadline, connecting);
        const mode = this.options.become === "sudo" ? await this.becomeOn(connection, deadline, context) : "none";
        const stdin =
          mode === "sudo-password"
            ? passwordThenStdin(this.sudo.password ?? "", request.stdin)
            : request.stdin === undefined
              ? undefined
              : Buffer.from(request.stdin);
        const starting = RemoteProcess.start(connection, remoteCommandLine(request.command, mode, marker), {
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
            starting.then((late) => this.endInBackground(late, marker, mode, context, "late")).catch(() => undefined);
            throw error;
          }
          const message = (error as Error).message;
          if (connection.closed) throw new LostDuringCommand(connection.lostReason ?? message, !neverSent(error));
          // Over sshd's MaxSessions: nothing ran; wait for a slot of the smaller pool and try again.
          if (error instanceof RefusedOpen && this.sessions.learn(error)) {
            // Every session sshd allows may now be busy with commands: have the kill path ready.
            this.connections.spareConnection(this.closing.signal).catch(() => undefined);
            continue;
          }
          throw new TransportError(
            `could not start ${context.command} on ${this.name}: ${message}; it did not run (sshd refused the session: check its log and MaxSessions on ${this.name})`,
            context,
            { cause: error },
          );
        }
        if (request.onStart) {
          const told = request.onStart;
          remote.waitForPgid(PGID_REPORT_WAIT_MS).then((pgid) => told({ ...(pgid === undefined ? {} : { pgid }), runMarker: marker }));
        }
        return await this.outcome(remote, marker, mode, deadline, context, connection);
      } finally {
        slot.release();
      }
    }
  }

  /** Waits for a started command; at the deadline ends it on the host and reports what that achieved. */
  private async outcome(
    remote: RemoteProcess,
    marker: string,
    mode: BecomeMode,
    deadline: Deadline,
    context: TransportErrorContext,
    connection: SshConnection,
  ): Promise<Omit<ExecResult, "durationMs">> {
    let finishedFirst = false;
    // Registered before the race below, so it sees whether the command ended before any stop.
    remote.done.then(() => {
      finishedFirst = !deadline.reason;
    });
    const end = await Promise.race([remote.done, deadline.fired]);
    if (deadline.reason && !finishedFirst) {
      const termination = this.endInBackground(remote, marker, mode, context, "reported");
      const { note, final } = await stopNote(termination, (since) => this.connections.heardSince(since));
      if (!final) termination.then((outcome) => this.notice(context, outcome.note));
      throw deadline.error(context, this.name, note);
    }
    if (typeof end !== "object") throw new TransportError(`${context.command} on ${this.name} stopped without an outcome`, context);
    if (!end.exited) {
      if (connection.closed) throw new LostDuringCommand(connection.lostReason ?? "the connection closed", true);
      throw new TransportError(`${context.command} on ${this.name} ended without an exit status`, context);
    }
    const { exitCode, signal, stdout, stderr, stdoutBytes, stderrBytes, truncated } = end;
    return { exitCode, signal, stdout, stderr, stdoutBytes, stderrBytes, truncated };
  }

  /**
   * Ends a command on the host, tracked until done (close() waits for it). A command that started
   * only after its error was reported ("late") is ended too, and the operator told when it could not be.
   */
  private endInBackground(
    remote: RemoteProcess,
    marker: string,
    mode: BecomeMode,
    context: TransportErrorContext,
    why: "reported" | "late",
  ): Promise<TerminationOutcome> {
    const termination = terminateRemote(this.killer, remote, marker, mode);
    this.terminations.add(termination);
    termination.finally(() => this.terminations.delete(termination));
    if (why === "late") termination.then((outcome) => !outcome.ended && this.notice(context, outcome.note));
    return termination;
  }

  private notice(context: TransportErrorContext, note: string): void {
    const step = context.step ? `, step ${context.step}` : "";
    this.options.onNotice?.(`host ${this.name}${step}: ${context.command}, stopped earlier: ${note}`);
  }

  /**
   * Runs one of the transport's own commands (a kill phase, a sudo check): on the control
   * channel of the connection, reconnecting if it was lost; when sshd allows no more sessions
   * there, on a spare connection of its own, so a kill is never refused.
   */
  private async runControl(line: string, options: { stdin?: Buffer; timeoutMs: number }): Promise<ControlResult> {
    const connection = await this.connections.main(this.closing.signal);
    if (this.sessions.fits(connection)) {
      try {
        return await runControl(connection, this.sessions.control, line, options);
      } catch (error) {
        if (!(error instanceof RefusedOpen) || connection.closed) throw error;
        this.sessions.learn(error);
      }
    }
    return runControl(await this.connections.spareConnection(this.closing.signal), this.spareControl, line, options);
  }

  /** How this command gets root; a connection lost during the sudo check is lost before the command started. */
  private async becomeOn(connection: SshConnection, deadline: Deadline, context: TransportErrorContext): Promise<BecomeMode> {
    try {
      return await this.operator.during(deadline, deadline.race(this.becomeMode(connection), context, this.name, "it had not started"));
    } catch (error) {
      if (!deadline.reason && connection.closed) throw new LostDuringCommand(connection.lostReason ?? (error as Error).message, false);
      throw error;
    }
  }

  private becomeMode(connection: SshConnection): Promise<BecomeMode> {
    let mode = this.becomeModes.get(connection);
    if (!mode) {
      mode = detectBecome(connection.target, (line, options) => this.runControl(line, options), {
        prompter: this.prompter,
        secret: this.sudo,
      });
      // A failed check is asked again next time (the operator may have fixed sudoers meanwhile).
      mode.catch(() => this.becomeModes.delete(connection));
      this.becomeModes.set(connection, mode);
    }
    return mode;
  }
}
