/** Applies one ssh_config keyword to the options gathered so far: first obtained value wins (readconf.c). */
import type { ConfigLine } from "./config-lexer.js";

/** StrictHostKeyChecking as ssh understands it (`off` is `no`, `true` is `yes`). */
export type StrictHostKeyChecking = "yes" | "accept-new" | "no" | "ask";

/** Values as written in the config, before defaults and `~`/`%` expansion. */
export interface RawOptions {
  hostName?: string;
  user?: string;
  port?: number;
  /** Appended by every active IdentityFile line, duplicates dropped. */
  identityFiles: string[];
  identitiesOnly?: boolean;
  identityAgent?: string;
  /** The raw ProxyJump value; "none" counts as set, so later lines do not apply. */
  proxyJump?: string;
  proxyCommand?: string;
  connectTimeoutS?: number;
  serverAliveIntervalS?: number;
  serverAliveCountMax?: number;
  userKnownHostsFiles?: string[];
  globalKnownHostsFiles?: string[];
  strictHostKeyChecking?: StrictHostKeyChecking;
  hostKeyAlias?: string;
  hashKnownHosts?: boolean;
  canonicalizeHostname?: string;
  ignoreUnknown?: string;
}

/** A bad value on a line; the reader adds file:line. ssh rejects these even inside a non-matching Host block. */
export class ConfigValueError extends Error {}

const MAX_IDENTITY_FILES = 100;
const MAX_KNOWN_HOSTS_FILES = 16;

type Handler = (options: RawOptions, line: ConfigLine, active: boolean) => void;

/** Keywords recover uses; every other known keyword is accepted and ignored. */
const HANDLERS: Record<string, Handler> = {
  hostname: stringOption("hostName"),
  user: stringOption("user"),
  hostkeyalias: stringOption("hostKeyAlias"),
  ignoreunknown: stringOption("ignoreUnknown"),
  port: (options, line, active) => {
    const port = parsePort(single(line));
    if (active && options.port === undefined) options.port = port;
  },
  identityfile: (options, line, active) => {
    const file = single(line);
    if (!active || options.identityFiles.includes(file)) return;
    if (options.identityFiles.length >= MAX_IDENTITY_FILES)
      throw new ConfigValueError(`too many identity files (max ${MAX_IDENTITY_FILES})`);
    options.identityFiles.push(file);
  },
  identityfile2: (options, line, active) => HANDLERS.identityfile?.(options, line, active),
  identitiesonly: flagOption("identitiesOnly"),
  hashknownhosts: flagOption("hashKnownHosts"),
  identityagent: (options, line, active) => {
    const agent = single(line);
    if (agent !== "none" && agent !== "SSH_AUTH_SOCK" && !agent.startsWith("/") && !agent.startsWith("~") && !agent.startsWith("$")) {
      throw new ConfigValueError(`IdentityAgent "${agent}" must be an absolute path, ~/path, $VARIABLE, SSH_AUTH_SOCK or none`);
    }
    if (agent.startsWith("$") && !agent.startsWith("${") && !/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(agent)) {
      throw new ConfigValueError(`IdentityAgent "${agent}" is not a valid environment variable name`);
    }
    if (active && options.identityAgent === undefined) options.identityAgent = agent;
  },
  proxyjump: (options, line, active) => {
    const jump = single(line);
    if (jump.toLowerCase() !== "none") for (const hop of jump.split(",")) checkJumpHop(hop, jump);
    // ProxyJump and ProxyCommand exclude each other: whichever comes first wins.
    if (active && options.proxyJump === undefined && options.proxyCommand === undefined)
      options.proxyJump = jump.toLowerCase() === "none" ? "none" : jump;
  },
  proxycommand: (options, line, active) => {
    if (line.rest.trim() === "") throw new ConfigValueError("missing argument");
    if (active && options.proxyJump === undefined && options.proxyCommand === undefined) options.proxyCommand = line.rest.trim();
  },
  connecttimeout: timeOption("connectTimeoutS"),
  serveraliveinterval: timeOption("serverAliveIntervalS"),
  serveralivecountmax: (options, line, active) => {
    const text = single(line);
    if (!/^\d+$/.test(text) || Number(text) > 2 ** 31 - 1) throw new ConfigValueError(`"${text}" is not a non-negative integer`);
    if (active && options.serverAliveCountMax === undefined) options.serverAliveCountMax = Number(text);
  },
  userknownhostsfile: fileListOption("userKnownHostsFiles"),
  globalknownhostsfile: fileListOption("globalKnownHostsFiles"),
  stricthostkeychecking: (options, line, active) => {
    const text = single(line).toLowerCase();
    const value = ({ yes: "yes", true: "yes", no: "no", false: "no", off: "no", ask: "ask", "accept-new": "accept-new" } as const)[
      text as "yes"
    ];
    if (value === undefined)
      throw new ConfigValueError(`unsupported StrictHostKeyChecking value "${text}" (yes, accept-new, no, off or ask)`);
    if (active && options.strictHostKeyChecking === undefined) options.strictHostKeyChecking = value;
  },
  canonicalizehostname: (options, line, active) => {
    const text = single(line).toLowerCase();
    const value = ({ yes: "yes", true: "yes", no: "no", false: "no", always: "always", none: "none" } as const)[text as "yes"];
    if (value === undefined) throw new ConfigValueError(`unsupported CanonicalizeHostname value "${text}"`);
    if (active && options.canonicalizeHostname === undefined) options.canonicalizeHostname = value;
  },
};

/** Applies `line` when `active`; validates it either way. Unknown keywords are the caller's business. */
export function applyOption(options: RawOptions, line: ConfigLine, active: boolean): void {
  HANDLERS[line.keyword]?.(options, line, active);
}

/** The one argument of a single-valued keyword; a missing or extra argument is an error, as in readconf.c. */
function single(line: ConfigLine): string {
  const [value, ...extra] = line.args;
  if (value === undefined || value === "") throw new ConfigValueError("missing argument");
  if (extra.length > 0) throw new ConfigValueError(`extra arguments at end of line: ${extra.join(" ")}`);
  return value;
}

type StringKey = "hostName" | "user" | "hostKeyAlias" | "ignoreUnknown";
function stringOption(key: StringKey): Handler {
  return (options, line, active) => {
    const value = single(line);
    if (active && options[key] === undefined) options[key] = value;
  };
}

function flagOption(key: "identitiesOnly" | "hashKnownHosts"): Handler {
  return (options, line, active) => {
    const text = single(line).toLowerCase();
    if (!["yes", "true", "no", "false"].includes(text)) throw new ConfigValueError(`"${text}" is not yes or no`);
    if (active && options[key] === undefined) options[key] = text === "yes" || text === "true";
  };
}

function timeOption(key: "connectTimeoutS" | "serverAliveIntervalS"): Handler {
  return (options, line, active) => {
    const text = single(line);
    const seconds = parseTime(text);
    if (seconds === undefined) throw new ConfigValueError(`invalid time value "${text}" (seconds, or units such as 30s, 5m, 1h30m)`);
    if (active && options[key] === undefined) options[key] = seconds;
  };
}

function fileListOption(key: "userKnownHostsFiles" | "globalKnownHostsFiles"): Handler {
  return (options, line, active) => {
    if (line.args.length === 0) throw new ConfigValueError("missing argument");
    for (const [i, arg] of line.args.entries()) {
      if (arg === "") throw new ConfigValueError("empty argument");
      if (arg.toLowerCase() === "none" && (i > 0 || line.args.length > 1)) throw new ConfigValueError('"none" must appear alone');
    }
    if (line.args.length > MAX_KNOWN_HOSTS_FILES) throw new ConfigValueError(`too many known hosts files (max ${MAX_KNOWN_HOSTS_FILES})`);
    if (active && options[key] === undefined) options[key] = [...line.args];
  };
}

/** a2port(): 1..65535. */
export function parsePort(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) throw new ConfigValueError(`bad port "${text}" (1-65535)`);
  return port;
}

const TIME_UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** convtime(): `90`, `1m30s`, `1h`; undefined when malformed. */
export function parseTime(text: string): number | undefined {
  if (text === "") return undefined;
  let total = 0;
  const re = /(\d+)([smhdw]?)/giy;
  let match: RegExpExecArray | null = re.exec(text);
  let consumed = 0;
  while (match !== null) {
    const [all, digits = "", unit = ""] = match;
    // A number without a unit may only come last.
    if (unit === "" && re.lastIndex !== text.length) return undefined;
    total += Number(digits) * (TIME_UNITS[unit.toLowerCase()] ?? 1);
    consumed += all.length;
    if (re.lastIndex === text.length) break;
    match = re.exec(text);
  }
  return consumed === text.length && total <= 2 ** 31 - 1 ? total : undefined;
}

/** parse_jump(): each hop is `[user@]host[:port]` or `ssh://[user@]host[:port]`. */
function checkJumpHop(hop: string, whole: string): void {
  const bare = hop.replace(/^ssh:\/\//, "");
  const at = bare.lastIndexOf("@");
  const hostPort = at === -1 ? bare : bare.slice(at + 1);
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  const plain = /^([^:[\]@]+)(?::(\d+))?$/.exec(hostPort);
  const match = bracketed ?? plain;
  const badUser = at === 0;
  if (match === null || badUser) throw new ConfigValueError(`invalid ProxyJump "${whole}" (hops are [user@]host[:port], comma-separated)`);
  if (match[2] !== undefined) parsePort(match[2]);
}
