/** Reads known_hosts files once and finds the lines for a host, as hostfile.c does. */
import { readFile } from "node:fs/promises";
import { blobKeyType, wellFormedBlob } from "./fingerprint.js";
import { hashedNameMatches, parseHashedField } from "./known-hosts-hash.js";
import { matchHostname } from "./match-pattern.js";

export { hashHostName } from "./known-hosts-hash.js";

/** `@cert-authority` or `@revoked` in front of a line; "none" for a plain entry. */
export type KnownHostMarker = "none" | "cert-authority" | "revoked";

/** One valid known_hosts line whose host field matches the host looked up. */
export interface KnownHostEntry {
  file: string;
  /** 1-based. */
  line: number;
  marker: KnownHostMarker;
  /** The key type field, e.g. "ssh-ed25519". */
  type: string;
  /** The decoded key blob. */
  data: Buffer;
  hashed: boolean;
}

/** A line whose host field names the host but whose rest cannot be read: it must never let the host look unknown. */
export interface UnreadableLine {
  file: string;
  line: number;
  marker: KnownHostMarker;
  why: string;
}

/** A known_hosts line split into its fields, once per login; keys are decoded only for the host asked about. */
export interface KnownHostsLine {
  file: string;
  line: number;
  marker: KnownHostMarker;
  hosts: string;
  /** The salt and hash of a `|1|salt|hash` host field; undefined for a plain one (or a malformed hashed one). */
  hashed: { salt: Buffer; hash: Buffer } | undefined;
  type: string;
  base64: string;
  /** Why the line is invalid apart from its host field (a bad marker); undefined when only the key is left to check. */
  problem: string | undefined;
}

/** `host`, or `[host]:port` when the port is not 22 (put_host_port()). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 || port === 0 ? host : `[${host}]:${port}`;
}

const MARKERS: Record<string, KnownHostMarker> = { "@cert-authority": "cert-authority", "@revoked": "revoked" };

/**
 * Splits known_hosts text into lines as OpenSSH reads them: a line ends at `\n`, and leading
 * blanks, a trailing `\r` and trailing blanks are not part of it (sshkey_read() and b64_pton()
 * skip them), so a file written on Windows reads the same. Comments and blank lines are dropped.
 */
export function splitKnownHosts(text: string, file: string): KnownHostsLine[] {
  const lines: KnownHostsLine[] = [];
  let start = 0;
  for (let number = 1; start <= text.length; number++) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw !== "" && !raw.startsWith("#")) lines.push(splitLine(raw, file, number));
  }
  return lines;
}

function splitLine(raw: string, file: string, line: number): KnownHostsLine {
  const words = raw.split(/[ \t]+/);
  let marker: KnownHostMarker = "none";
  let problem: string | undefined;
  let at = 0;
  if (words[0]?.startsWith("@")) {
    const known = MARKERS[words[0]];
    if (known === undefined) problem = `unknown marker ${words[0]}`;
    else marker = known;
    at = 1;
    // Only one marker is allowed; the host field is still the first word that is not one.
    for (; words[at]?.startsWith("@"); at++) problem ??= "more than one marker";
  }
  const hosts = words[at] ?? "";
  return {
    file,
    line,
    marker,
    hosts,
    hashed: hosts.startsWith("|") ? parseHashedField(hosts) : undefined,
    type: words[at + 1] ?? "",
    base64: words[at + 2] ?? "",
    problem,
  };
}

/** Reads `files` in order; missing ones are skipped, any other read error is thrown. */
export async function readKnownHosts(files: string[]): Promise<KnownHostsLine[]> {
  const lines: KnownHostsLine[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") continue;
      throw error;
    }
    lines.push(...splitKnownHosts(text, file));
  }
  return lines;
}

/** True when the line's host field matches `name` (lowercased, already in `[host]:port` form). */
function namesHost(line: KnownHostsLine, name: string): boolean {
  if (line.hosts.startsWith("|")) return line.hashed !== undefined && hashedNameMatches(line.hashed, name);
  return matchHostname(name, line.hosts) === 1;
}

/**
 * The valid entries for `name` (already in `[host]:port` form), and the lines that name it but
 * cannot be read. OpenSSH skips such lines; recover reports them instead, so that a damaged line
 * for a host can never make a changed key look unknown.
 */
export function linesFor(lines: KnownHostsLine[], name: string): { entries: KnownHostEntry[]; unreadable: UnreadableLine[] } {
  const lookup = name.toLowerCase();
  const entries: KnownHostEntry[] = [];
  const unreadable: UnreadableLine[] = [];
  for (const line of lines) {
    if (!namesHost(line, lookup)) continue;
    const why = line.problem ?? keyProblem(line.type, line.base64);
    if (why !== undefined) {
      unreadable.push({ file: line.file, line: line.line, marker: line.marker, why });
      continue;
    }
    const data = Buffer.from(line.base64, "base64");
    entries.push({ file: line.file, line: line.line, marker: line.marker, type: line.type, data, hashed: line.hashed !== undefined });
  }
  return { entries, unreadable };
}

/** Why the key fields are not a well-formed key of their type (sshkey_read() is as strict); undefined when they are. */
function keyProblem(type: string, base64: string): string | undefined {
  if (type === "") return "no key type";
  if (base64 === "") return "no key";
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return "the key is not valid base64";
  const data = Buffer.from(base64, "base64");
  if (data.toString("base64") !== base64) return "the key is not valid base64";
  if (blobKeyType(data) !== type) return `the key is not a ${type} key`;
  return wellFormedBlob(data) ? undefined : `the ${type} key is malformed`;
}

/** Every valid entry in `files` whose host field matches `name` (already in `[host]:port` form). */
export async function findEntries(files: string[], name: string): Promise<KnownHostEntry[]> {
  return linesFor(await readKnownHosts(files), name).entries;
}
