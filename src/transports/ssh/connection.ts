import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { Client, ClientChannel } from "ssh2";
import { ConnectError, HostKeyError } from "../errors.js";
import type { ResolvedHost } from "./config.js";
import { keepaliveIntervalMs } from "./keepalive.js";
import { type LoginOptions, login } from "./login.js";
import { openTcpSocket } from "./tcp-socket.js";

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/** sshd refused to open a session channel (over MaxSessions, or its session setup failed): nothing ran. */
export const refusedOpen = (error: unknown): boolean => /Channel open failure/i.test((error as Error)?.message ?? "");

/** A refused open, with how many channels were open on the connection then and at most ever (see SessionBudget.learn). */
export class RefusedOpen extends Error {
  constructor(
    message: string,
    readonly openChannels: number,
    readonly mostOpen: number,
  ) {
    super(message);
  }
}
const OPEN_RETRIES = 6;
const OPEN_RETRY_MS = 5;

/**
 * One SSH connection to a host (through its jump hosts, if any): the one every step's channels
 * share. `closed` turns true the moment the socket closes, before ssh2 fails the open channels,
 * so a channel that ends without an exit status can tell a lost connection from anything else.
 */
export class SshConnection {
  closed = false;
  /** Why the connection ended when it was not closed on purpose. */
  lostReason: string | undefined;
  /** Channels open now (sessions sshd counts against MaxSessions). */
  openChannels = 0;
  /** The most channels ever open at once: sshd allows at least that many. */
  mostOpen = 0;
  /** When the host last sent anything (performance.now()). */
  lastHeardAt = performance.now();
  /** Opens sent and not yet answered, by sequence number; a refusal is judged once those before it are (see exec). */
  private readonly opening = new Set<number>();
  private opens = 0;
  private openedWaiters: Array<{ before: number; resolve: () => void }> = [];
  private ending = false;
  private readonly closeWaiters: Array<() => void> = [];

  constructor(
    readonly client: Client,
    readonly target: ResolvedHost,
    private readonly hops: Client[],
    socket: Duplex,
  ) {
    const markClosed = () => {
      if (this.closed) return;
      this.closed = true;
      this.lostReason ??= this.ending ? "recover closed the connection" : "the connection closed";
      // A channel through a jump host ends without closing until our side ends it too, and ssh2
      // fails the open channels only on close: without this, a command behind a jump host hangs.
      socket.destroy();
      // The jump hosts carried only this connection: a reconnect opens its own.
      for (const hop of this.hops) hop.end();
      for (const waiter of this.closeWaiters.splice(0)) waiter();
    };
    socket.on("data", () => {
      this.lastHeardAt = performance.now();
    });
    socket.once("end", markClosed);
    socket.once("close", markClosed);
    client.on("error", (error: Error & { level?: string }) => {
      if (error.level === "agent") return;
      this.lostReason =
        error.level === "client-timeout"
          ? `no answer to ${target.serverAliveCountMax} keepalive${target.serverAliveCountMax === 1 ? "" : "s"} ${keepaliveIntervalMs(target) / 1000} s apart (the host or network stopped responding)`
          : error.message;
    });
    client.once("close", markClosed);
  }

  /**
   * Opens a session channel running `line` through the remote login shell. `onOpen` runs inside
   * ssh2's callback, before ssh2 reads on: its exit status may already be in the same packet
   * batch and is emitted only once, so listeners attached a microtask later would miss it.
   */
  async exec<T>(line: string, onOpen: (channel: ClientChannel) => T): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const id = ++this.opens;
      try {
        return await this.openOnce(id, line, onOpen);
      } catch (error) {
        // sshd frees a closed session a moment after its CLOSE, so a channel opened right then can
        // be refused as over MaxSessions. A refused open ran nothing: trying again is safe. When
        // every channel sshd allows is in use, the caller learns the limit instead (session-limit).
        if (!refusedOpen(error) || this.closed) throw error;
        await this.answeredBefore(id);
        if (attempt >= OPEN_RETRIES || this.openChannels >= this.mostOpen)
          throw new RefusedOpen((error as Error).message, this.openChannels, this.mostOpen);
        await sleep(OPEN_RETRY_MS * 2 ** (attempt - 1));
      }
    }
  }

  private openOnce<T>(id: number, line: string, onOpen: (channel: ClientChannel) => T): Promise<T> {
    this.opening.add(id);
    return new Promise<T>((resolve, reject) => {
      const answered = () => {
        this.opening.delete(id);
        const first = Math.min(...this.opening);
        const ready = this.openedWaiters.filter((w) => w.before <= first);
        this.openedWaiters = this.openedWaiters.filter((w) => w.before > first);
        for (const waiter of ready) waiter.resolve();
      };
      try {
        this.client.exec(line, (error, channel) => {
          answered();
          if (error) return reject(error);
          this.openChannels++;
          this.mostOpen = Math.max(this.mostOpen, this.openChannels);
          channel.once("close", () => this.openChannels--);
          resolve(onOpen(channel));
        });
      } catch (error) {
        answered();
        reject(error);
      }
    });
  }

  /**
   * Resolves once every open sent before open `id` is answered. ssh2 counts a channel as open
   * only once its command was accepted, a round trip after sshd counted the session: until the
   * opens sent with a refused one are answered, the counts understate what sshd holds.
   */
  private answeredBefore(id: number): Promise<void> {
    if (!(Math.min(...this.opening) < id)) return Promise.resolve();
    return new Promise((resolve) => this.openedWaiters.push({ before: id, resolve }));
  }

  /** Resolves when the connection has closed, for whatever reason. */
  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  /** Ends the connection and its jump hosts; resolves once closed. */
  async close(): Promise<void> {
    this.ending = true;
    if (!this.closed) {
      const closed = this.whenClosed();
      this.client.end();
      // A peer that does not answer the disconnect must not hold us up.
      const timer = setTimeout(() => this.client.destroy(), 2_000);
      await closed;
      clearTimeout(timer);
    }
  }
}

function forward(hop: Client, through: ResolvedHost, to: ResolvedHost, signal?: AbortSignal): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const onAbort = () =>
      reject(
        new ConnectError(`stopped connecting to ${to.alias} through ${through.alias}: recover closed the transport`, { target: to.alias }),
      );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    hop.forwardOut("127.0.0.1", 0, to.hostName, to.port, (error, stream) => {
      signal?.removeEventListener("abort", onAbort);
      if (error) {
        reject(
          new ConnectError(`jump host ${through.alias} could not reach ${to.alias} (${to.hostName} port ${to.port}): ${error.message}`, {
            target: to.alias,
          }),
        );
      } else resolve(stream);
    });
  });
}

/**
 * Connects to `target`, through `jumps` in order (OpenSSH's ProxyJump): a TCP socket with
 * TCP_NODELAY to the first hop, then each next hop and the target over a forwarded channel,
 * each with its own host key check and login.
 */
export async function openConnection(target: ResolvedHost, jumps: ResolvedHost[], options: LoginOptions): Promise<SshConnection> {
  const hops: Client[] = [];
  try {
    const chain = [...jumps, target];
    const first = chain[0] as ResolvedHost;
    const timeoutMs = first.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const open = (i: number): Promise<Duplex> =>
      i === 0
        ? openTcpSocket(first.alias, first.hostName, first.port, timeoutMs, options.signal)
        : forward(hops[i - 1] as Client, chain[i - 1] as ResolvedHost, chain[i] as ResolvedHost, options.signal);
    for (const [i, host] of chain.entries()) {
      const socket = await open(i);
      const client = await login(host, socket, options, () => open(i));
      if (host === target) return new SshConnection(client, target, hops, socket);
      hops.push(client);
    }
    throw new Error("unreachable: the chain always ends with the target");
  } catch (error) {
    for (const hop of hops.reverse()) hop.end();
    if (error instanceof ConnectError && !(error instanceof HostKeyError) && jumps.length > 0 && error.target !== target.alias) {
      throw new ConnectError(
        `${error.message}\n(while connecting to ${target.alias} through ${jumps.map((j) => j.alias).join(" → ")})`,
        {
          target: target.alias,
        },
        { cause: error },
      );
    }
    throw error;
  }
}
