/** Reads known_hosts files once and finds the lines for a host, as hostfile.c does. */
import { readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { blobKeyType, wellFormedBlob } from "./fingerprint.js";
import { HashedNameMatcher } from "./known-hosts-hash.js";
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

/**
 * A known_hosts line as read once per login: its marker and host field; the key fields are read
 * only for lines that name the host asked about.
 */
export interface KnownHostsLine {
  file: string;
  line: number;
  marker: KnownHostMarker;
  hosts: string;
  /** What follows the host field (key type, key, comment), trailing blanks and `\r` removed. */
  rest: string;
  /** Why the line is invalid apart from its host field (a bad marker); undefined when only the key is left to check. */
  problem: string | undefined;
}

/** `host`, or `[host]:port` when the port is not 22 (put_host_port()). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 || port === 0 ? host : `[${host}]:${port}`;
}

const MARKERS: Record<string, KnownHostMarker> = { "@cert-authority": "cert-authority", "@revoked": "revoked" };

const isBlank = (code: number): boolean => code === 0x20 || code === 0x09;
const WORD = /[^ \t\r\n]*/y;
const BLANKS = /[ \t]*/y;
/** The end of the word starting at `at` (a blank or `end`); a native scan, this runs over every line. */
function wordEnd(text: string, at: number, end: number): number {
  WORD.lastIndex = at;
  WORD.exec(text);
  return Math.min(WORD.lastIndex, end);
}
function skipBlanks(text: string, at: number, end: number): number {
  BLANKS.lastIndex = at;
  BLANKS.exec(text);
  return Math.min(BLANKS.lastIndex, end);
}

/**
 * Splits known_hosts text into lines as OpenSSH reads them: a line ends at `\n`, and leading
 * blanks, a trailing `\r` and trailing blanks are not part of it (sshkey_read() and b64_pton()
 * skip them), so a file written on Windows reads the same. Comments and blank lines are dropped.
 * Only the marker and host field are read here: this runs over every line of every file.
 */
export function splitKnownHosts(text: string, file: string): KnownHostsLine[] {
  const lines: KnownHostsLine[] = [];
  let number = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const next = end + 1;
    number++;
    while (end > start && (isBlank(text.charCodeAt(end - 1)) || text.charCodeAt(end - 1) === 0x0d)) end--;
    let at = skipBlanks(text, start, end);
    start = next;
    if (at === end || text.charCodeAt(at) === 0x23) continue;
    let marker: KnownHostMarker = "none";
    let problem: string | undefined;
    if (text.charCodeAt(at) === 0x40) {
      const word = text.slice(at, wordEnd(text, at, end));
      const known = MARKERS[word];
      if (known === undefined) problem = `unknown marker ${word}`;
      else marker = known;
      at = skipBlanks(text, at + word.length, end);
      // Only one marker is allowed; the host field is still the first word that is not one.
      while (at < end && text.charCodeAt(at) === 0x40) {
        problem ??= "more than one marker";
        at = skipBlanks(text, wordEnd(text, at, end), end);
      }
    }
    const hostsEnd = wordEnd(text, at, end);
    lines.push({
      file,
      line: number,
      marker,
      hosts: text.slice(at, hostsEnd),
      rest: text.slice(skipBlanks(text, hostsEnd, end), end),
      problem,
    });
  }
  return lines;
}

/**
 * Reads `files` in order; missing ones are skipped, any other read error is thrown. A regular
 * file is read at once (readFileSync): fs.promises.readFile's several thread-pool round trips
 * cost more than the read itself (~8 ms against ~1 ms for 2,000 lines on a busy machine).
 * Anything else (a FIFO) is read asynchronously, so it can never block the process.
 */
export async function readKnownHosts(files: string[]): Promise<KnownHostsLine[]> {
  const lines: KnownHostsLine[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = statSync(file).isFile() ? readFileSync(file, "utf8") : await readFile(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") continue;
      throw error;
    }
    lines.push(...splitKnownHosts(text, file));
  }
  return lines;
}

/**
 * The valid entries for `name` (already in `[host]:port` form), and the lines that name it but
 * cannot be read. OpenSSH skips such lines; recover reports them instead, so that a damaged line
 * for a host can never make a changed key look unknown.
 */
export function linesFor(lines: KnownHostsLine[], name: string): { entries: KnownHostEntry[]; unreadable: UnreadableLine[] } {
  const lookup = name.toLowerCase();
  const hashed = new HashedNameMatcher(lookup);
  const entries: KnownHostEntry[] = [];
  const unreadable: UnreadableLine[] = [];
  for (const line of lines) {
    const isHashed = line.hosts.charCodeAt(0) === 0x7c;
    if (!(isHashed ? hashed.matches(line.hosts) : matchHostname(lookup, line.hosts) === 1)) continue;
    const [type = "", base64 = ""] = line.rest.split(/[ \t]+/, 2);
    const why = line.problem ?? keyProblem(type, base64);
    if (why !== undefined) {
      unreadable.push({ file: line.file, line: line.line, marker: line.marker, why });
      continue;
    }
    entries.push({ file: line.file, line: line.line, marker: line.marker, type, data: Buffer.from(base64, "base64"), hashed: isHashed });
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
