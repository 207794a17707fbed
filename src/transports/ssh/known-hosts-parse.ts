/** Reads known_hosts files and finds the entries for a host, as hostfile.c does. */
import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { blobKeyType, wellFormedBlob } from "./fingerprint.js";
import { matchHostname } from "./match-pattern.js";

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

/** `host`, or `[host]:port` when the port is not 22 (put_host_port()). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 || port === 0 ? host : `[${host}]:${port}`;
}

/**
 * Every valid entry in `files` (in order) whose host field matches `name` (already in
 * `[host]:port` form); missing files are skipped, invalid lines ignored like OpenSSH does.
 */
export async function findEntries(files: string[], name: string): Promise<KnownHostEntry[]> {
  const lookup = name.toLowerCase();
  const entries: KnownHostEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") continue;
      throw error;
    }
    for (const [index, raw] of text.split("\n").entries()) {
      const entry = parseLine(raw, lookup);
      if (entry !== undefined) entries.push({ file, line: index + 1, ...entry });
    }
  }
  return entries;
}

/** Parses one line; undefined for comments, blank or invalid lines, and lines for other hosts. */
export function parseLine(raw: string, host: string): Omit<KnownHostEntry, "file" | "line"> | undefined {
  let rest = raw.replace(/^[ \t]+/, "");
  if (rest === "" || rest.startsWith("#")) return undefined;
  let marker: KnownHostMarker = "none";
  if (rest.startsWith("@")) {
    const [word = ""] = rest.split(/[ \t]/, 1);
    if (word === "@cert-authority") marker = "cert-authority";
    else if (word === "@revoked") marker = "revoked";
    else return undefined;
    rest = rest.slice(word.length).replace(/^[ \t]+/, "");
    if (rest.startsWith("@")) return undefined; // only one marker is allowed
  }
  const [hosts = "", type = "", base64 = ""] = rest.split(/[ \t]+/);
  const hashed = hosts.startsWith("|");
  if (!(hashed ? matchesHashed(host, hosts) : matchHostname(host, hosts) === 1)) return undefined;
  const data = decodeKey(type, base64);
  return data === undefined ? undefined : { marker, type, data, hashed };
}

/** The key blob, when the base64 is canonical and the blob is a well-formed key of `type` (sshkey_read() is as strict). */
function decodeKey(type: string, base64: string): Buffer | undefined {
  if (base64 === "" || base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const data = Buffer.from(base64, "base64");
  if (data.toString("base64") !== base64) return undefined;
  return blobKeyType(data) === type && wellFormedBlob(data) ? data : undefined;
}

/** `|1|salt|hash`: HMAC-SHA1 of the name keyed by the salt (host_hash()). */
function matchesHashed(host: string, field: string): boolean {
  const parts = field.split("|");
  if (parts.length !== 4 || parts[1] !== "1") return false;
  const salt = Buffer.from(parts[2] ?? "", "base64");
  if (salt.length !== 20) return false;
  const hash = createHmac("sha1", salt).update(host).digest("base64");
  return field === `|1|${salt.toString("base64")}|${hash}`;
}

/** A new `|1|salt|hash` host field for `name`. */
export function hashHostName(name: string, salt: Buffer): string {
  return `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
}
