/** Reads known_hosts files once and finds the lines for a host, as hostfile.c does. */
import { readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { blobKeyType, wellFormedBlob } from "./fingerprint.js";
import { HASHED_FIELD_LENGTH, HashedNameMatcher, hashedFieldsOf } from "./known-hosts-hash.js";
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

/** What the files say about one name: its valid entries and the lines naming it that cannot be read. */
export interface Found {
  entries: KnownHostEntry[];
  unreadable: UnreadableLine[];
}

/** One known_hosts file as read once per login. */
export interface KnownHostsSource {
  file: string;
  text: string;
  /** What was read: the known_hosts cache is keyed by its hash. */
  bytes: Buffer;
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
 * Lines that may name a host by text: the first character after leading blanks is not `|` (a
 * hashed field, found by its offset instead), `#` or the end of the line. A native scan: in a
 * hashed file nothing else but the few lines of the host is looked at. `^` also matches after a
 * lone `\r`; such a place is taken back to the start of its line.
 */
const MAY_NAME_PLAINLY = /^[ \t]*[^ \t|#\n]/gm;

/**
 * The lines of one file that name `name` (already in `[host]:port` form and lowercased), read as
 * OpenSSH reads them: a line ends at `\n`, and leading blanks, a trailing `\r` and trailing
 * blanks are not part of it (sshkey_read() and b64_pton() skip them), so a file written on
 * Windows reads the same; comments and blank lines are skipped. A hashed host field names the
 * host when it starts at one of `hashedAt`, the offsets of the name's hashed fields in the text
 * (see hashedFieldsIn), so no line costs an HMAC here. OpenSSH skips a line it cannot read;
 * recover reports it instead, so that a damaged line for a host can never make a changed key
 * look unknown.
 */
export function linesNaming(source: KnownHostsSource, name: string, hashedAt: readonly number[]): Found {
  const { text } = source;
  const lineStart = (at: number) => text.lastIndexOf("\n", at - 1) + 1;
  const starts = new Set(hashedAt.map(lineStart));
  for (const match of text.matchAll(MAY_NAME_PLAINLY)) starts.add(lineStart(match.index));
  const hashed = new Set(hashedAt);
  const found: Found = { entries: [], unreadable: [] };
  let line = 1;
  let counted = 0;
  for (const start of [...starts].sort((a, b) => a - b)) {
    for (let at = text.indexOf("\n", counted); at !== -1 && at < start; at = text.indexOf("\n", at + 1)) line++;
    counted = start;
    readLine(source, start, line, name, hashed, found);
  }
  return found;
}

/** Reads the line starting at `start` (numbered `line`) into `found` when it names `name`. */
function readLine(source: KnownHostsSource, start: number, line: number, name: string, hashedAt: ReadonlySet<number>, found: Found): void {
  const { text, file } = source;
  let end = text.indexOf("\n", start);
  if (end === -1) end = text.length;
  while (end > start && (isBlank(text.charCodeAt(end - 1)) || text.charCodeAt(end - 1) === 0x0d)) end--;
  let at = skipBlanks(text, start, end);
  if (at === end || text.charCodeAt(at) === 0x23) return;
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
  const hashed = text.charCodeAt(at) === 0x7c;
  const names = hashed ? hostsEnd - at === HASHED_FIELD_LENGTH && hashedAt.has(at) : matchHostname(name, text.slice(at, hostsEnd)) === 1;
  if (!names) return;
  const [type = "", base64 = ""] = text.slice(skipBlanks(text, hostsEnd, end), end).split(/[ \t]+/, 2);
  const why = problem ?? keyProblem(type, base64);
  if (why !== undefined) found.unreadable.push({ file, line, marker, why });
  else found.entries.push({ file, line, marker, type, data: Buffer.from(base64, "base64"), hashed });
}

/** Every place in the file where `name`'s hashed field is (HMACs over the whole file: what the known_hosts cache saves). */
export function hashedFieldsIn(source: KnownHostsSource, name: string): number[] {
  return source.text.includes("|1|") ? hashedFieldsOf(source.text, new HashedNameMatcher(name)) : [];
}

/**
 * Reads `files` in order; missing ones are skipped, any other read error is thrown. A regular
 * file is read at once (readFileSync): fs.promises.readFile's several thread-pool round trips
 * cost more than the read itself (~8 ms against ~1 ms for 2,000 lines on a busy machine).
 * Anything else (a FIFO) is read asynchronously, so it can never block the process.
 */
export async function readKnownHosts(files: string[]): Promise<KnownHostsSource[]> {
  const sources: KnownHostsSource[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = statSync(file).isFile() ? readFileSync(file) : await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") continue;
      throw error;
    }
    sources.push(sameAsLastRead(file, bytes));
  }
  return sources;
}

/** Each file's last read, so that a run over many hosts decodes and scans a file once, not once per login. */
const lastRead = new Map<string, KnownHostsSource>();

/** The source last read from `file` when these are the very same bytes (a changed file is read afresh), else a new one. */
function sameAsLastRead(file: string, bytes: Buffer): KnownHostsSource {
  const kept = lastRead.get(file);
  if (kept?.bytes.equals(bytes)) return kept;
  const source = { file, text: bytes.toString("utf8"), bytes };
  lastRead.set(file, source);
  return source;
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
  const lookup = name.toLowerCase();
  return (await readKnownHosts(files)).flatMap((s) => linesNaming(s, lookup, hashedFieldsIn(s, lookup)).entries);
}
