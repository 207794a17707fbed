/**
 * Host key verification against known_hosts, as OpenSSH's client does it: the same files, the
 * same matching (plain, `[host]:port`, hashed, wildcards, negation) and the same verdicts.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import type { ResolvedHost } from "./config.js";
import { type HostKey, keyTypeOf } from "./fingerprint.js";
import { hashedFieldsFor, type KnownHostsCache } from "./known-hosts-cache.js";
import {
  type Found,
  hashHostName,
  type KnownHostEntry,
  type KnownHostsSource,
  knownHostsName,
  linesNaming,
  readKnownHosts,
  type UnreadableLine,
} from "./known-hosts-parse.js";

export { fingerprint, type HostKey } from "./fingerprint.js";
export { knownHostsName } from "./known-hosts-parse.js";

/**
 * What known_hosts says about a server's key. As in OpenSSH (hostfile.c), a host with any
 * known key that is not this one is `changed`, whatever that key's type: ssh refuses a new
 * ed25519 key for a host whose known key is ECDSA, and so must recover, or accept-new would
 * let a man in the middle through by presenting a different key type.
 */
export type HostKeyVerdict =
  | { status: "match"; file: string; line: number }
  /**
   * No key at all is known for the host. `otherTypes` is kept for callers' messages and is
   * always empty: a known key of another type makes the verdict `changed`, as it does in ssh.
   */
  | { status: "unknown"; otherTypes: string[] }
  /** Known keys differ from this one; `file:line` is the entry ssh names ("Offending … key"), `knownType` its type. */
  | { status: "changed"; file: string; line: number; knownType: string }
  /** The key is listed under `@revoked` (this wins over a matching entry, as in OpenSSH). */
  | { status: "revoked"; file: string; line: number }
  /**
   * No valid line holds this key, and a line naming the host cannot be read (ssh skips it): the
   * host is not unknown, so accept-new must not apply. Also when an unreadable `@revoked` line
   * names the host, since the key it revokes may be this one.
   */
  | { status: "unreadable"; file: string; line: number; why: string };

/** OpenSSH's default HostKeyAlgorithms order, by key type: the preference for {@link KnownHosts.keyTypes}. */
const TYPE_PREFERENCE = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
  "ssh-rsa",
  "ssh-dss",
];

/**
 * The name and port to look a resolved host up with: its HostKeyAlias, which OpenSSH uses
 * without a port, else its HostName and port.
 */
export function knownHostsLookup(resolved: Pick<ResolvedHost, "hostName" | "port" | "hostKeyAlias">): { host: string; port: number } {
  return resolved.hostKeyAlias !== undefined ? { host: resolved.hostKeyAlias, port: 22 } : { host: resolved.hostName, port: resolved.port };
}

/**
 * The known_hosts files of one login, read once; each host name is matched against every line
 * at most once (a hashed line costs an HMAC, unless the cache knows where the name is), however
 * often it is asked about.
 * Lines are `host[,host…] type base64 [comment]`, `[host]:port` for ports ≠ 22, hashed
 * `|1|salt|hash` entries, patterns with `*`, `?` and `!`negation, `@revoked` and
 * `@cert-authority` markers, comments and blank lines; missing files are fine. `host` is the
 * HostKeyAlias or HostName (see {@link knownHostsLookup}), compared case-insensitively. Files
 * are searched in order (user files, then global ones). With a port other than 22 and nothing
 * at all recorded for `[host]:port`, an entry for the bare host that holds the key is a match
 * too, as in ssh. `key.type` is never trusted: keys are compared by blobs.
 */
export class KnownHosts {
  private readonly found = new Map<string, Found>();

  constructor(
    private readonly sources: KnownHostsSource[],
    private readonly cache?: KnownHostsCache,
  ) {}

  /** Reads `files`; `cache` keeps where hashed names are in large files between processes (see KnownHostsCache). */
  static async load(files: string[], cache?: KnownHostsCache): Promise<KnownHosts> {
    return new KnownHosts(await readKnownHosts(files), cache);
  }

  /** The verdict on `key` for the host. */
  check(host: string, port: number, key: HostKey): HostKeyVerdict {
    const verdict = verdictFor(this.lookup(knownHostsName(host, port)), key);
    if (verdict.status !== "unknown" || port === 22 || port === 0) return verdict;
    // Like ssh: nothing at all for [host]:port, so a key recorded for the bare host is accepted
    // ("found matching key w/out port"). Anything else there does not count.
    const bare = verdictFor(this.lookup(host), key);
    return bare.status === "match" ? bare : verdict;
  }

  /**
   * The key types known for this host (not counting @revoked and @cert-authority lines), most
   * useful first in OpenSSH's default order, so the transport can prefer them in
   * hostKeyAlgorithms like OpenSSH does. An "ssh-rsa" key is proven by rsa-sha2-512/256. With a
   * port other than 22 and nothing recorded for `[host]:port`, the bare host's types.
   */
  keyTypes(host: string, port: number): string[] {
    const types = orderTypes(this.lookup(knownHostsName(host, port)).entries);
    if (types.length > 0 || port === 22 || port === 0) return types;
    // check() falls back to the bare host; preferring its types makes that fallback work.
    return orderTypes(this.lookup(host).entries);
  }

  /** The `@cert-authority` entries for the host, and the `@revoked` ones (which may revoke a CA or a certificate's key). */
  authorities(host: string, port: number): { authorities: KnownHostEntry[]; revoked: KnownHostEntry[] } {
    const { entries } = this.lookup(knownHostsName(host, port));
    return {
      authorities: entries.filter((e) => e.marker === "cert-authority"),
      revoked: entries.filter((e) => e.marker === "revoked"),
    };
  }

  private lookup(name: string): Found {
    const lookup = name.toLowerCase();
    let found = this.found.get(lookup);
    if (found === undefined) {
      found = { entries: [], unreadable: [] };
      for (const source of this.sources) {
        const { entries, unreadable } = linesNaming(source, lookup, hashedFieldsFor(source, lookup, this.cache));
        found.entries.push(...entries);
        found.unreadable.push(...unreadable);
      }
      this.found.set(lookup, found);
    }
    return found;
  }
}

/** Reads `files` and gives the verdict on `key` for the host (see {@link KnownHosts}). */
export async function checkHostKey(files: string[], host: string, port: number, key: HostKey): Promise<HostKeyVerdict> {
  return (await KnownHosts.load(files)).check(host, port, key);
}

/** Reads `files` and lists the host's known key types (see {@link KnownHosts.keyTypes}). */
export async function knownKeyTypes(files: string[], host: string, port: number): Promise<string[]> {
  return (await KnownHosts.load(files)).keyTypes(host, port);
}

function verdictFor({ entries, unreadable }: Found, key: HostKey): HostKeyVerdict {
  const revoked = entries.find((e) => e.marker === "revoked" && e.data.equals(key.data));
  if (revoked !== undefined) return { status: "revoked", file: revoked.file, line: revoked.line };
  // A revocation recover cannot read may be of this very key.
  const unreadableRevocation = unreadable.find((u) => u.marker === "revoked");
  if (unreadableRevocation !== undefined) return { status: "unreadable", ...without(unreadableRevocation) };
  const plain = entries.filter((e) => e.marker === "none");
  const match = plain.find((e) => e.data.equals(key.data));
  if (match !== undefined) return { status: "match", file: match.file, line: match.line };
  // ssh names the last non-matching entry it saw.
  const offending = plain.at(-1);
  if (offending !== undefined) return { status: "changed", file: offending.file, line: offending.line, knownType: offending.type };
  const damaged = unreadable.find((u) => u.marker === "none");
  if (damaged !== undefined) return { status: "unreadable", ...without(damaged) };
  return { status: "unknown", otherTypes: [] };
}

const without = ({ file, line, why }: UnreadableLine) => ({ file, line, why });

function orderTypes(entries: KnownHostEntry[]): string[] {
  const types = [...new Set(entries.filter((e) => e.marker === "none").map((e) => e.type))];
  const rank = (t: string) => {
    const i = TYPE_PREFERENCE.indexOf(t);
    return i === -1 ? TYPE_PREFERENCE.length : i;
  };
  return types.sort((a, b) => rank(a) - rank(b));
}

/**
 * Appends `[host]:port type base64` (bare host for port 22; the host lowercased), hashed when
 * `hash` (HashKnownHosts), creating the file (0600) and its directory (0700) when missing. The
 * entry is written with one append and flushed to disk, and starts on a line of its own even
 * when the file's last line has no newline.
 */
export async function addKnownHost(
  file: string,
  host: string,
  port: number,
  key: HostKey,
  options: { hash?: boolean } = {},
): Promise<void> {
  const name = knownHostsName(host.toLowerCase(), port);
  const field = options.hash ? hashHostName(name, randomBytes(20)) : name;
  const entry = `${field} ${keyTypeOf(key)} ${key.data.toString("base64")}\n`;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const handle = await open(file, "a+", 0o600);
  try {
    const { size } = await handle.stat();
    let prefix = "";
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = "\n";
    }
    await handle.appendFile(prefix + entry);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
