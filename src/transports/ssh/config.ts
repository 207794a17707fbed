/**
 * Resolves a host alias the way `ssh -G` does, so `ssh k3s1` in the operator's log and a
 * runbook target `k3s1` reach the same machine with the same keys and known_hosts.
 */
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { homedir, hostname as localHostName, userInfo } from "node:os";
import { join } from "node:path";
import { InputError } from "../../errors.js";
import { parseDestination } from "./config-destination.js";
import type { RawOptions, StrictHostKeyChecking } from "./config-options.js";
import { type ConfigPass, readConfigFile } from "./config-reader.js";
import { expandTilde, expandTokens, TokenError } from "./config-tokens.js";

export type { StrictHostKeyChecking } from "./config-options.js";

/** A host as ssh would connect to it: every value resolved, defaulted and expanded. */
export interface ResolvedHost {
  /** What the operator typed (`k3s1`), without any `user@`. */
  alias: string;
  /** HostName with %h expanded, lowercased unless an IP address; the alias when none is set. */
  hostName: string;
  /** The caller's user, else User, else `user@` in the alias, else the local user name. */
  user: string;
  /** The caller's port, else Port, else 22. */
  port: number;
  /** IdentityFile in order, with ~, %-tokens and ${VAR} expanded; OpenSSH's defaults when none is set. */
  identityFiles: string[];
  identitiesOnly: boolean;
  /** An agent socket path, or "none" for no agent; undefined means use SSH_AUTH_SOCK. */
  identityAgent?: string;
  /** ProxyJump hops in order as written (`user@host:port` or aliases, an `ssh://` prefix dropped); [] for none. */
  proxyJump: string[];
  /** ProxyCommand when the config sets one (recover's ssh2 transport cannot run it; it should say so). */
  proxyCommand?: string;
  connectTimeoutMs?: number;
  /** Undefined when the config sets none or 0 (ssh's default, off): then recover's own default applies (keepalive.ts). */
  serverAliveIntervalMs?: number;
  serverAliveCountMax: number;
  /** Expanded; [] for `UserKnownHostsFile none`. */
  userKnownHostsFiles: string[];
  /** As written (ssh does not expand these); [] for `GlobalKnownHostsFile none`. */
  globalKnownHostsFiles: string[];
  strictHostKeyChecking: StrictHostKeyChecking;
  /** Lowercased. When set, known_hosts is searched for it instead of the host name, and without a port. */
  hostKeyAlias?: string;
  /** HashKnownHosts: write new known_hosts entries hashed. */
  hashKnownHosts: boolean;
  /** The config file(s) read, for error messages. */
  sources: string[];
}

/** Options for {@link resolveHost}; `user`/`port` act like `ssh -l user -p port`. */
export interface ResolveHostOptions {
  /** Like `ssh -F`: only this file is read; "none" reads no file. */
  configFile?: string;
  user?: string;
  port?: number;
  /** Home directory for `~` and `%d`; defaults to os.homedir(). */
  home?: string;
  /** Local user for `%u`, `Match localuser` and the default User; defaults to os.userInfo().username. */
  localUser?: string;
  /** Environment for `${VAR}` and `IdentityAgent $VAR`; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** OpenSSH 9.2's identity files when none is configured, in its order. */
const DEFAULT_IDENTITY_FILES = ["id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_xmss", "id_dsa"].map(
  (name) => `~/.ssh/${name}`,
);
const DEFAULT_USER_KNOWN_HOSTS = ["~/.ssh/known_hosts", "~/.ssh/known_hosts2"];
const DEFAULT_GLOBAL_KNOWN_HOSTS = ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"];
export const SYSTEM_CONFIG_FILE = "/etc/ssh/ssh_config";

/**
 * Resolves a host alias as `ssh -G` does: `configFile` (like -F; then no other file is read),
 * else ~/.ssh/config then /etc/ssh/ssh_config. First obtained value wins; Host patterns with
 * `*`, `?`, `!`negation and several patterns per line; `Match all`/`host`/`originalhost`/`user`/
 * `localuser`/`final`/`canonical` (exec and others: an InputError naming file:line); Include
 * (globs, relative to ~/.ssh or /etc/ssh); keywords case-insensitive; `Key=value` and quoted values.
 * The alias may be `user@host` or `ssh://user@host:port`. Every problem in the files is reported
 * at once, as an InputError. A missing `configFile` is an InputError naming it.
 */
export async function resolveHost(alias: string, options: ResolveHostOptions = {}): Promise<ResolvedHost> {
  const home = options.home ?? homedir();
  const localUser = options.localUser ?? userInfo().username;
  const env = options.env ?? process.env;
  const target = parseDestination(alias);
  const preset: RawOptions = { identityFiles: [] };
  // Like -l and -p: set before any file is read, so config values cannot override them.
  preset.user = options.user ?? target.user;
  preset.port = options.port ?? target.port;
  if (preset.port !== undefined && !(Number.isInteger(preset.port) && preset.port >= 1 && preset.port <= 65535)) {
    throw new InputError(`Bad port ${preset.port} for ${alias}`, "Use a port between 1 and 65535.");
  }
  const pass: ConfigPass = {
    host: target.host,
    originalHost: target.host,
    finalPass: false,
    home,
    localUser,
    options: preset,
    problems: [],
    sources: [],
    wantsFinalPass: false,
  };
  await readAll(pass, options.configFile);

  const raw = pass.options;
  let hostName = target.host;
  if (raw.hostName !== undefined) hostName = expand(() => expandTokens(raw.hostName ?? "", { h: target.host }), "HostName", pass);
  if (isIP(hostName) === 0) hostName = hostName.toLowerCase();

  if (pass.wantsFinalPass || raw.canonicalizeHostname === "yes" || raw.canonicalizeHostname === "always") {
    // ssh re-reads its config with the resolved name; `Match final`/`canonical` apply only now.
    raw.hostName = hostName;
    const final: ConfigPass = { ...pass, host: hostName, finalPass: true, problems: [] };
    await readAll(final, options.configFile);
    pass.problems.push(...final.problems.filter((p) => !pass.problems.includes(p)));
  }
  return finish(target.host, hostName, raw, pass, env);
}

async function readAll(pass: ConfigPass, configFile: string | undefined): Promise<void> {
  if (configFile !== undefined) {
    if (configFile === "none") return;
    const found = await readConfigFile(pass, configFile, { userConfig: true, checkPermissions: false, neverMatch: false });
    if (!found) throw new InputError(`ssh config file ${configFile} does not exist`, "Check the path given as the SSH config file.");
    return;
  }
  await readConfigFile(pass, join(pass.home, ".ssh", "config"), { userConfig: true, checkPermissions: true, neverMatch: false });
  await readConfigFile(pass, SYSTEM_CONFIG_FILE, { userConfig: false, checkPermissions: false, neverMatch: false });
}

function finish(alias: string, hostName: string, raw: RawOptions, pass: ConfigPass, env: NodeJS.ProcessEnv): ResolvedHost {
  const user = raw.user ?? pass.localUser;
  const port = raw.port ?? 22;
  const hostKeyAlias = raw.hostKeyAlias?.toLowerCase();
  // ssh:// hops become [user@]host[:port], the form ssh -G prints for the hop it connects through.
  const proxyJump =
    raw.proxyJump === undefined || raw.proxyJump === "none" ? [] : raw.proxyJump.split(",").map((hop) => hop.replace(/^ssh:\/\/|\/$/g, ""));
  const thisHost = localHostName();
  const tokens: Record<string, string> = {
    // %C as OpenSSH 9.2 computes it: SHA1 of %l%h%p%r.
    C: createHash("sha1").update(`${thisHost}${hostName}${port}${user}`).digest("hex"),
    L: thisHost.split(".")[0] ?? thisHost,
    i: String(process.getuid?.() ?? 0),
    // ssh's %k: the HostKeyAlias, else the host as the operator typed it (not HostName).
    k: hostKeyAlias ?? alias,
    l: thisHost,
    n: alias,
    p: String(port),
    d: pass.home,
    h: hostName,
    r: user,
    u: pass.localUser,
    j: raw.proxyJump === undefined || raw.proxyJump === "none" ? "" : raw.proxyJump,
  };
  const path = (value: string, keyword: string) =>
    expand(() => expandTokens(expandTilde(value, pass.home, pass.localUser), tokens, env), keyword, pass);

  const identityFiles = (raw.identityFiles.length > 0 ? raw.identityFiles : DEFAULT_IDENTITY_FILES).map((f) => path(f, "IdentityFile"));
  const userKnown = raw.userKnownHostsFiles ?? DEFAULT_USER_KNOWN_HOSTS;
  const globalKnown = raw.globalKnownHostsFiles ?? DEFAULT_GLOBAL_KNOWN_HOSTS;
  const resolved: ResolvedHost = {
    alias,
    hostName,
    user,
    port,
    identityFiles,
    identitiesOnly: raw.identitiesOnly ?? false,
    identityAgent: agentPath(raw.identityAgent, env, (value) => path(value, "IdentityAgent")),
    proxyJump,
    proxyCommand: raw.proxyCommand === undefined || raw.proxyCommand.toLowerCase() === "none" ? undefined : raw.proxyCommand,
    connectTimeoutMs: raw.connectTimeoutS ? raw.connectTimeoutS * 1000 : undefined,
    serverAliveIntervalMs: raw.serverAliveIntervalS ? raw.serverAliveIntervalS * 1000 : undefined,
    serverAliveCountMax: raw.serverAliveCountMax ?? 3,
    userKnownHostsFiles: isNone(userKnown) ? [] : userKnown.map((f) => path(f, "UserKnownHostsFile")),
    globalKnownHostsFiles: isNone(globalKnown) ? [] : [...globalKnown],
    strictHostKeyChecking: raw.strictHostKeyChecking ?? "ask",
    hostKeyAlias,
    hashKnownHosts: raw.hashKnownHosts ?? false,
    sources: pass.sources,
  };
  if (pass.problems.length > 0) throw configProblems(pass);
  for (const key of Object.keys(resolved) as (keyof ResolvedHost)[]) if (resolved[key] === undefined) delete resolved[key];
  return resolved;
}

/** IdentityAgent: `SSH_AUTH_SOCK` means the default (undefined), `$NAME` reads that variable (unset → no agent). */
function agentPath(agent: string | undefined, env: NodeJS.ProcessEnv, expandPath: (value: string) => string): string | undefined {
  if (agent === undefined || agent === "SSH_AUTH_SOCK") return undefined;
  if (agent === "none") return "none";
  if (agent.startsWith("$") && !agent.startsWith("${")) return env[agent.slice(1)] ?? "none";
  return expandPath(agent);
}

function isNone(files: string[]): boolean {
  return files.length === 1 && files[0]?.toLowerCase() === "none";
}

function expand(run: () => string, keyword: string, pass: ConfigPass): string {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    pass.problems.push(`${keyword}: ${error.message}${pass.sources.length > 0 ? ` (in ${pass.sources.join(", ")})` : ""}`);
    return "";
  }
}

function configProblems(pass: ConfigPass): InputError {
  const count = pass.problems.length;
  return new InputError(
    `ssh config: ${count} problem${count === 1 ? "" : "s"}:\n${pass.problems.map((p) => `  ${p}`).join("\n")}`,
    "Fix the lines named; `ssh -G <host>` reports the same problems.",
  );
}
