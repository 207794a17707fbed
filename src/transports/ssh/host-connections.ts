import type { ParsedKey } from "ssh2";
import { ConnectError } from "../errors.js";
import { type ResolvedHost, resolveHost } from "./config.js";
import { openConnection, type SshConnection } from "./connection.js";
import { jumpChain } from "./jump-chain.js";
import type { SshTransportOptions } from "./transport-options.js";

/**
 * A transport's connections to its host: the main one every step shares, and a spare one for
 * the transport's own commands when sshd allows no more sessions on the main one. Each opens on
 * first use and again after it was lost; the host alias is resolved once.
 */
export class HostConnections {
  private resolving: Promise<{ target: ResolvedHost; jumps: ResolvedHost[] }> | undefined;
  private connecting: Promise<SshConnection> | undefined;
  private current: SshConnection | undefined;
  private spare: Promise<SshConnection> | undefined;
  private spareNow: SshConnection | undefined;
  /** Keys unlocked on this transport, by file: a reconnect does not ask for a passphrase again. */
  private readonly unlocked = new Map<string, ParsedKey>();

  constructor(private readonly options: SshTransportOptions) {}

  /**
   * The main connection, opening it on first use or after it was lost. Only `closing` (the
   * transport's close()) stops a connect: a step's timeout must not fail the steps waiting for it.
   */
  main(closing: AbortSignal): Promise<SshConnection> {
    if (this.current && !this.current.closed) return Promise.resolve(this.current);
    this.connecting ??= (async () => {
      try {
        this.current = await this.open(closing);
        return this.current;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  /** The spare connection, opened on first need and again after it was lost. */
  async spareConnection(closing: AbortSignal): Promise<SshConnection> {
    const open = this.spare && (await this.spare.catch(() => undefined));
    if (open && !open.closed) return open;
    this.spare = this.open(closing);
    this.spare.catch(() => {
      this.spare = undefined;
    });
    this.spareNow = await this.spare;
    return this.spareNow;
  }

  /** True when the host has sent anything since `since` (performance.now()) on either connection. */
  heardSince(since: number): boolean {
    return [this.current, this.spareNow].some((c) => c !== undefined && c.lastHeardAt > since);
  }

  /** Closes both connections (and a connect still under way); a later use opens new ones. */
  async close(): Promise<void> {
    const pending = this.connecting?.catch(() => undefined);
    const current = this.current ?? (await pending);
    const spare = this.spare?.catch(() => undefined);
    this.current = undefined;
    this.spare = undefined;
    this.spareNow = undefined;
    await Promise.all([current?.close(), spare?.then((c) => c?.close())]);
  }

  private async open(signal: AbortSignal): Promise<SshConnection> {
    const { target, jumps } = await this.resolve();
    return openConnection(target, jumps, {
      signal,
      env: this.options.env ?? process.env,
      prompter: this.options.prompter,
      unlocked: this.unlocked,
      acceptNewHostKey: this.options.acceptNewHostKey === true,
      onNotice: this.options.onNotice,
    });
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
}
