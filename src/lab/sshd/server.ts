import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { chmod, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { SshdStartError } from "./errors.js";
import { freePort, randomLoopbackAddress } from "./free-port.js";
import { generateHostKeys, type HostKeyAlgorithm, type SshdHostKey } from "./host-keys.js";
import { descendants, isAlive, killTree, signalTree } from "./process-tree.js";
import { renderSshdConfig } from "./sshd-config.js";
import { ensureLabSystem, type LabSystem } from "./system-setup.js";
import { waitForBanner } from "./wait-ready.js";

export interface SshdOptions {
  /** A 127.0.0.x address; default a random one. */
  address?: string;
  /** Default: a free port on the address (retried when another process takes it first). */
  port?: number;
  /** Public key lines (authorized_keys format) allowed to log in. */
  authorizedKeys: string[];
  /** Users allowed to log in (AllowUsers); default the lab users. */
  users?: string[];
  /** Host key types to generate, fresh per server; default ed25519 and ecdsa. */
  hostKeyAlgorithms?: HostKeyAlgorithm[];
  /** Extra sshd_config lines; they win over the lab defaults. */
  extraConfig?: string[];
  /** Where the server's own directory is made; default the OS temp dir. */
  parentDir?: string;
  readyTimeoutMs?: number;
  /** The result of ensureLabSystem(); run here when not given. */
  system?: LabSystem;
}

/** A running (or downed) lab sshd on its own address and port. */
export interface SshdServer {
  readonly address: string;
  readonly port: number;
  /** The listening sshd's pid; undefined while down. */
  readonly pid: number | undefined;
  /** Config, host keys, authorized_keys and log live here; removed by stop(). */
  readonly dir: string;
  readonly configFile: string;
  readonly logFile: string;
  readonly authorizedKeysFile: string;
  readonly hostKeys: readonly SshdHostKey[];
  /** known_hosts lines for this server: `[address]:port type base64`. */
  knownHostsLines(hostNames?: string[]): string[];
  setAuthorizedKeys(lines: string[]): Promise<void>;
  /** Pids of the per-connection sshd processes and everything they started. */
  connectionPids(): Promise<number[]>;
  /** Kills every open connection (and the commands running in it); the server keeps listening. Returns the pids killed. */
  killConnections(): Promise<number[]>;
  /** Freezes the listener, its connections and their commands (SIGSTOP): a host that stops answering. */
  freeze(): Promise<void>;
  /** Undoes freeze() (SIGCONT). */
  thaw(): Promise<void>;
  /** Stops every process (listener, connections, commands) but keeps files, address and port, for up(). */
  down(): Promise<void>;
  /** Starts again after down(), with the same host keys, address and port. */
  up(): Promise<void>;
  readLog(): Promise<string>;
  /** Kills every process it started, by pid, and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const BIND_RETRIES = 5;

/**
 * The tether: sshd runs as the child of a tiny sh that kills it when our end of its stdin closes,
 * so a test worker that dies without cleaning up does not leave an sshd behind.
 */
const TETHER = `"$@" </dev/null >&2 & child=$!; echo "$child"; read -r _; kill -TERM "$child" 2>/dev/null; wait "$child"`;

async function logTail(logFile: string, lines = 20): Promise<string> {
  const text = await readFile(logFile, "utf8").catch(() => "");
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** Running and not a zombie: sshd's parent (the tether) reaps it only when told to stop. */
async function alive(pid: number | undefined): Promise<boolean> {
  return pid !== undefined && (await isAlive(pid));
}

/** The pid the tether prints first; undefined when it exits without one. */
function firstLinePid(tether: ChildProcess): Promise<number | undefined> {
  return new Promise((resolve) => {
    let text = "";
    tether.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) resolve(Number(text.trim()) || undefined);
    });
    tether.once("exit", () => resolve(undefined));
  });
}

class LabSshd implements SshdServer {
  private tether: ChildProcess | undefined;
  private sshdPid: number | undefined;
  private stopped = false;

  constructor(
    readonly address: string,
    public port: number,
    readonly dir: string,
    readonly hostKeys: SshdHostKey[],
    private readonly sshd: string,
    private readonly users: string[],
    private readonly extraConfig: string[],
    private readonly readyTimeoutMs: number,
    private readonly portFixed: boolean,
  ) {}

  get pid(): number | undefined {
    return this.sshdPid;
  }
  get configFile(): string {
    return path.join(this.dir, "sshd_config");
  }
  get logFile(): string {
    return path.join(this.dir, "sshd.log");
  }
  get authorizedKeysFile(): string {
    return path.join(this.dir, "authorized_keys");
  }

  knownHostsLines(hostNames?: string[]): string[] {
    // Written here, not by the transport's own code, so a test's known_hosts never depends on the code under test.
    const names = hostNames ?? [this.port === 22 ? this.address : `[${this.address}]:${this.port}`];
    return this.hostKeys.map((key) => `${names.join(",")} ${key.type} ${key.base64}`);
  }

  async setAuthorizedKeys(lines: string[]): Promise<void> {
    // sshd reads authorized_keys as the logging-in user: world-readable (public keys only).
    await writeFile(this.authorizedKeysFile, lines.map((l) => `${l.trim()}\n`).join(""), { mode: 0o644 });
    await chmod(this.authorizedKeysFile, 0o644);
  }

  async connectionPids(): Promise<number[]> {
    return this.sshdPid === undefined ? [] : descendants(this.sshdPid);
  }

  async killConnections(): Promise<number[]> {
    return this.sshdPid === undefined ? [] : killTree(this.sshdPid, { includeRoot: false });
  }

  async freeze(): Promise<void> {
    if (this.sshdPid !== undefined) await signalTree(this.sshdPid, "SIGSTOP");
  }

  async thaw(): Promise<void> {
    if (this.sshdPid !== undefined) await signalTree(this.sshdPid, "SIGCONT");
  }

  async readLog(): Promise<string> {
    return readFile(this.logFile, "utf8").catch(() => "");
  }

  private async writeConfig(): Promise<void> {
    const config = renderSshdConfig({
      address: this.address,
      port: this.port,
      hostKeys: this.hostKeys,
      authorizedKeysFile: this.authorizedKeysFile,
      allowUsers: this.users,
      extra: this.extraConfig,
    });
    await writeFile(this.configFile, config, { mode: 0o644 });
  }

  /** Starts sshd once on the current port; "in-use" when the port was taken. */
  private async startOnce(): Promise<"ready" | "in-use"> {
    await this.writeConfig();
    const log = await open(this.logFile, "a");
    const logSizeBefore = (await log.stat()).size;
    try {
      this.tether = spawn("/bin/sh", ["-c", TETHER, "recover-lab-sshd", this.sshd, "-D", "-e", "-f", this.configFile], {
        stdio: ["pipe", "pipe", log.fd],
      });
    } finally {
      await log.close();
    }
    const tether = this.tether;
    tether.stdin?.on("error", () => {});
    this.sshdPid = await firstLinePid(tether);
    const outcome = await waitForBanner(this.address, this.port, {
      timeoutMs: this.readyTimeoutMs,
      stillRunning: () => alive(this.sshdPid),
    });
    if (outcome === "ready") return "ready";
    await this.down();
    const tail = (await readFile(this.logFile, "utf8").catch(() => "")).slice(logSizeBefore);
    if (/Address already in use/.test(tail) && !this.portFixed) return "in-use";
    const why = outcome === "timeout" ? `did not answer within ${this.readyTimeoutMs / 1000} s` : "exited at start";
    throw new SshdStartError(
      `sshd on ${this.address}:${this.port} ${why}; its log (${this.logFile}) ends with:\n${tail.trim().split("\n").slice(-20).join("\n")}`,
      this.logFile,
    );
  }

  async up(): Promise<void> {
    if (this.stopped) throw new Error(`sshd ${this.address}:${this.port} was stopped; start a new one`);
    if (await alive(this.sshdPid)) return;
    for (let attempt = 1; ; attempt++) {
      if ((await this.startOnce()) === "ready") return;
      if (attempt >= BIND_RETRIES) {
        throw new SshdStartError(
          `no free port for sshd on ${this.address} after ${attempt} tries: ${await logTail(this.logFile, 3)}`,
          this.logFile,
        );
      }
      this.port = await freePort(this.address);
    }
  }

  async down(): Promise<void> {
    const tether = this.tether;
    const pid = this.sshdPid;
    if (pid !== undefined && (await alive(pid))) await killTree(pid, { includeRoot: true });
    this.sshdPid = undefined;
    this.tether = undefined;
    if (tether && tether.exitCode === null && tether.signalCode === null) {
      const exited = once(tether, "exit");
      tether.stdin?.end();
      await exited;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      await this.down();
    } finally {
      await rm(this.dir, { recursive: true, force: true });
    }
  }
}

/**
 * Starts Debian's OpenSSH server for the lab: `/usr/sbin/sshd -D -e -f <generated config>` as
 * root on a 127.0.0.x address and a free port, with fresh host keys, its own authorized_keys and
 * a log file, and waits until it greets. Runs lab system setup first (see ensureLabSystem).
 */
export async function startSshd(options: SshdOptions): Promise<SshdServer> {
  const system = options.system ?? (await ensureLabSystem());
  const address = options.address ?? randomLoopbackAddress();
  const dir = await mkdtemp(path.join(options.parentDir ?? os.tmpdir(), "recover-sshd-"));
  try {
    // The logging-in user must reach authorized_keys inside; private host keys stay 0600.
    await chmod(dir, 0o711);
    const hostKeys = await generateHostKeys(dir, options.hostKeyAlgorithms ?? ["ed25519", "ecdsa"]);
    const server = new LabSshd(
      address,
      options.port ?? (await freePort(address)),
      dir,
      hostKeys,
      system.sshd,
      options.users ?? [system.user, system.passwordUser],
      options.extraConfig ?? [],
      options.readyTimeoutMs ?? 10_000,
      options.port !== undefined,
    );
    await server.setAuthorizedKeys(options.authorizedKeys);
    await server.up();
    return server;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
