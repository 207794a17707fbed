import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { appendFile, chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { processStat } from "../../src/lab/sshd/process-tree.js";
import { type SshdOptions, type SshdServer, startSshd } from "../../src/lab/sshd/server.js";
import { ensureLabSystem, type LabSystem } from "../../src/lab/sshd/system-setup.js";
import { SshTransport, type SshTransportOptions } from "../../src/transports/ssh/transport.js";
import { eventually } from "./eventually.js";

/** A user key pair made for one test file. */
export interface UserKey {
  privateFile: string;
  publicLine: string;
}

export interface HostOptions {
  /** Login user; default the lab's passwordless-sudo user. */
  user?: string;
  /** IdentityFile lines for the Host block; default the plain test key. [] writes none. */
  identityFiles?: string[];
  /** Put the host's keys in known_hosts (default true). */
  known?: boolean;
  /** More lines for the Host block ("ProxyJump jump", "StrictHostKeyChecking no"). */
  extraConfig?: string[];
  sshd?: Partial<SshdOptions>;
}

/** Real sshd servers, keys, an ssh config, known_hosts and an ssh-agent for one test file. */
export interface SshHarness {
  dir: string;
  /** HOME for the transport: nothing of the machine's own ~/.ssh is read. */
  home: string;
  configFile: string;
  knownHostsFile: string;
  system: LabSystem;
  /** In authorized_keys and the default IdentityFile. */
  key: UserKey;
  /** Passphrase-protected; in authorized_keys, used only where a test names it. */
  encryptedKey: UserKey & { passphrase: string };
  /** Only in the agent (its file is deleted): a login with it proves agent auth. */
  agentKey: UserKey;
  agentSocket: string;
  /** HOME and SSH_AUTH_SOCK for the transport. */
  env: NodeJS.ProcessEnv;
  servers: Map<string, SshdServer>;
  /** Starts an sshd and writes its `Host <alias>` block (and known_hosts lines). */
  startHost(alias: string, options?: HostOptions): Promise<SshdServer>;
  /** A transport for `alias` reading the harness's config; closed by cleanup(). */
  transport(alias: string, options?: Partial<SshTransportOptions>): SshTransport;
  /** Live (not zombie) processes whose command line contains `needle`. */
  pidsMatching(needle: string): Promise<number[]>;
  /** Polls until a process whose command line contains `needle` runs (a command has started on a host); false if none does. */
  waitForProcess(needle: string): Promise<boolean>;
  /** A directory the lab users can write on the (local) hosts; removed by cleanup(), after a failure too. */
  remoteDir: string;
  /**
   * A `sleep` argument no other test uses (`<n>.<pid>`), so finding it in /proc means a test left
   * it behind; cleanup() kills such sleeps by PID, even when their connection was lost.
   */
  uniqueSleep(): string;
  cleanup(): Promise<void>;
}

async function makeKey(file: string, passphrase = ""): Promise<UserKey> {
  // -a 4: few KDF rounds keep decrypting the test key fast; the format is the same.
  await execa("ssh-keygen", ["-q", "-t", "ed25519", "-a", "4", "-N", passphrase, "-C", path.basename(file), "-f", file]);
  return { privateFile: file, publicLine: (await readFile(`${file}.pub`, "utf8")).trim() };
}

/** ssh-agent under a tether: it dies when our end of the tether's stdin closes, even if this worker crashes. */
const AGENT_TETHER = `ssh-agent -D -a "$1" >/dev/null & child=$!; read -r _; kill "$child" 2>/dev/null; wait "$child"`;

async function startAgent(socket: string): Promise<ChildProcess> {
  const agent = spawn("/bin/sh", ["-c", AGENT_TETHER, "recover-test-agent", socket], { stdio: ["pipe", "ignore", "inherit"] });
  for (let i = 0; i < 200; i++) {
    if (existsSync(socket)) return agent;
    if (agent.exitCode !== null) break;
    await sleep(10);
  }
  agent.stdin?.end();
  throw new Error(`ssh-agent did not create ${socket}`);
}

/** Live processes whose /proc cmdline contains `needle` (zombies excluded). */
export async function pidsMatching(needle: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (!cmdline.replaceAll("\0", " ").includes(needle)) continue;
    const stat = await processStat(pid);
    if (stat && stat.state !== "Z") found.push(pid);
  }
  return found;
}

/** How long cleanup() lets transports close before it stops the servers under them anyway (within vitest's 10 s hook timeout). */
const TRANSPORT_CLOSE_WAIT_MS = 5_000;

let sleeps = 0;
const uniqueSleep = (): string => `${1000 + Math.floor(Math.random() * 8000)}${++sleeps}.${process.pid}`;

/** Kills, by PID, the unique sleeps (see uniqueSleep) of this test process that are still running. */
async function killLeftoverSleeps(): Promise<void> {
  const own = new RegExp(`^sleep\0\\d+\\.${process.pid}\0$`);
  for (const pid of await pidsMatching(`.${process.pid}`)) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (!own.test(cmdline)) continue;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone meanwhile.
    }
  }
}

/**
 * Sets up SSH for one test file: lab system setup (sshd, sudo, users; installed when root and
 * missing), a temp dir with user keys, an ssh config and known_hosts, and an ssh-agent holding
 * `agentKey`. Every process and file it makes is removed by cleanup(), which also runs when
 * setup itself fails halfway.
 */
export async function startSshHarness(): Promise<SshHarness> {
  const system = await ensureLabSystem();
  const dir = await mkdtemp(path.join(os.tmpdir(), "recover-ssh-test-"));
  const servers = new Map<string, SshdServer>();
  const transports: SshTransport[] = [];
  const blocks: string[] = [];
  let agent: ChildProcess | undefined;

  const cleanup = async () => {
    // A test that failed halfway may have left a server frozen.
    await Promise.allSettled([...servers.values()].map((s) => s.thaw()));
    // A transport that cannot close (the bug a failing test found) must not keep servers and files alive.
    const closing = Promise.allSettled(transports.map((t) => t.close()));
    await Promise.race([closing, sleep(TRANSPORT_CLOSE_WAIT_MS)]);
    await killLeftoverSleeps();
    await Promise.allSettled([...servers.values()].map((s) => s.stop()));
    if (agent && agent.exitCode === null && agent.signalCode === null) {
      const exited = once(agent, "exit");
      agent.stdin?.end();
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const home = path.join(dir, "home");
    await mkdir(path.join(home, ".ssh"), { recursive: true, mode: 0o700 });
    const configFile = path.join(dir, "ssh_config");
    const knownHostsFile = path.join(dir, "known_hosts");
    const key = await makeKey(path.join(dir, "id_plain"));
    const passphrase = "correct horse battery";
    const encryptedKey = { ...(await makeKey(path.join(dir, "id_encrypted"), passphrase)), passphrase };
    const agentKey = await makeKey(path.join(dir, "id_agent"));
    const agentSocket = path.join(dir, "agent.sock");
    agent = await startAgent(agentSocket);
    await execa("ssh-add", ["-q", agentKey.privateFile], { env: { SSH_AUTH_SOCK: agentSocket } });
    // Only the agent holds it now: a login with it can only have come through the agent.
    await rm(agentKey.privateFile);
    await writeFile(configFile, "");
    await writeFile(knownHostsFile, "");
    // Lab users reach remoteDir through dir (traversable, not listable); keys in dir stay 0600.
    const remoteDir = path.join(dir, "remote");
    await mkdir(remoteDir);
    await chmod(remoteDir, 0o1777);
    await chmod(dir, 0o711);
    const env = { ...process.env, HOME: home, SSH_AUTH_SOCK: agentSocket };

    const harness: SshHarness = {
      dir,
      home,
      configFile,
      knownHostsFile,
      system,
      key,
      encryptedKey,
      agentKey,
      agentSocket,
      env,
      servers,
      async startHost(alias, options = {}) {
        const server = await startSshd({
          authorizedKeys: [key.publicLine, encryptedKey.publicLine, agentKey.publicLine],
          system,
          ...options.sshd,
        });
        servers.set(alias, server);
        const identities = options.identityFiles ?? [key.privateFile];
        blocks.push(
          [
            `Host ${alias}`,
            ...(options.extraConfig ?? []).map((l) => `  ${l}`),
            `  HostName ${server.address}`,
            `  Port ${server.port}`,
            `  User ${options.user ?? system.user}`,
            ...identities.map((f) => `  IdentityFile ${f}`),
            `  IdentitiesOnly ${identities.length > 0 ? "yes" : "no"}`,
            `  UserKnownHostsFile ${knownHostsFile}`,
            "  GlobalKnownHostsFile /dev/null",
            "",
          ].join("\n"),
        );
        await writeFile(configFile, blocks.join("\n"));
        if (options.known !== false) await appendFile(knownHostsFile, `${server.knownHostsLines().join("\n")}\n`);
        return server;
      },
      transport(alias, options = {}) {
        const transport = new SshTransport({ alias, configFile, env, ...options });
        transports.push(transport);
        return transport;
      },
      pidsMatching,
      waitForProcess: (needle) => eventually(async () => (await pidsMatching(needle)).length > 0, 250, 20),
      remoteDir,
      uniqueSleep,
      cleanup,
    };
    return harness;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The error `work` fails with; fails the test when it succeeds instead. */
export async function rejectionOf(work: Promise<unknown>): Promise<Error> {
  const outcome = await work.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)?.slice(0, 200)}`);
  return outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
}
