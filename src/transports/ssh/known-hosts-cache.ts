/**
 * Where a name's hashed fields are in a large hashed known_hosts, kept between processes: without
 * it, every new process computes an HMAC per hashed line to find one host (2,000 lines: some
 * 10-30 ms of a fresh process's start, against ~1 ms to hash the file and read an entry).
 *
 * It is exactly as safe as reading the file:
 * - An entry is keyed by the SHA-256 of the very bytes this login read (never by a file's name or
 *   mtime) and by the name looked up, so an entry about other bytes is never used: a changed
 *   file, a changed key, a line added or removed all miss and are read afresh.
 * - What an entry says is plain arithmetic on those bytes (which `|1|` fields are this name's
 *   HMAC), tried at every `|1|` in the text, not only where this version reads a host field.
 * - Every field an entry names is checked again before use; one that does not verify discards
 *   the entry and the file is read afresh. That an entry names every field can only be forged
 *   by someone who can write files as this user, who could as well rewrite known_hosts itself:
 *   an entry file owned by anyone else, or writable by group or others, is ignored.
 * Any failure to read or write is a miss. RECOVER_CACHE=off turns it off.
 */

import { hash, randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { HashedNameMatcher } from "./known-hosts-hash.js";
import { hashedFieldsIn, type KnownHostsSource } from "./known-hosts-parse.js";

/** Changes whenever what an entry holds changes meaning. */
const FORMAT = "recover known_hosts fields 1";
/** Smaller files are cheaper to read afresh than to look up (some 100 hashed ed25519 lines). */
const MIN_BYTES = 16 * 1024;
/** A write that finds more entries removes the oldest, down to three quarters. */
const MAX_ENTRIES = 256;

interface Entry {
  format: string;
  digest: string;
  name: string;
  at: number[];
}

/** Each source's SHA-256, kept per process: a source is the same object while its file holds the same bytes (readKnownHosts). */
const digests = new WeakMap<KnownHostsSource, string>();

export class KnownHostsCache {
  constructor(readonly dir: string) {}

  /** $XDG_CACHE_HOME/recover/known-hosts (~/.cache/recover/known-hosts); none with RECOVER_CACHE=off or no home. */
  static forEnv(env: NodeJS.ProcessEnv): KnownHostsCache | undefined {
    if (env.RECOVER_CACHE === "off") return undefined;
    const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, ".cache") : undefined);
    return base === undefined ? undefined : new KnownHostsCache(join(base, "recover", "known-hosts"));
  }

  /** Whether looking `source` up here can save time: a large file with hashed lines. */
  covers(source: KnownHostsSource): boolean {
    return source.bytes.length >= MIN_BYTES && source.text.includes("|1|");
  }

  /** The offsets an entry for these bytes and `name` holds (unverified), or undefined. */
  get(source: KnownHostsSource, name: string): number[] | undefined {
    const digest = this.digestOf(source);
    let fd: number | undefined;
    try {
      fd = openSync(this.file(digest, name), constants.O_RDONLY | constants.O_NOFOLLOW);
      const info = fstatSync(fd);
      if (!info.isFile() || info.uid !== (process.getuid?.() ?? 0) || (info.mode & 0o022) !== 0) return undefined;
      const entry = JSON.parse(readFileSync(fd, "utf8")) as Partial<Entry>;
      if (entry.format !== FORMAT || entry.digest !== digest || entry.name !== name || !offsets(entry.at, source.text.length))
        return undefined;
      return entry.at;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  put(source: KnownHostsSource, name: string, at: number[]): void {
    const digest = this.digestOf(source);
    const entry: Entry = { format: FORMAT, digest, name, at };
    const file = this.file(digest, name);
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      // Written whole under a fresh name, then renamed: a reader sees an entry whole or none.
      writeFileSync(temp, JSON.stringify(entry), { mode: 0o600, flag: "wx" });
      renameSync(temp, file);
      this.prune();
    } catch {
      rmSync(temp, { force: true });
    }
  }

  private digestOf(source: KnownHostsSource): string {
    let digest = digests.get(source);
    if (digest === undefined) {
      digest = hash("sha256", source.bytes, "hex");
      digests.set(source, digest);
    }
    return digest;
  }

  private file(digest: string, name: string): string {
    return join(this.dir, `${hash("sha256", `${FORMAT}\n${digest}\n${name}`, "hex").slice(0, 32)}.json`);
  }

  private prune(): void {
    const names = readdirSync(this.dir);
    if (names.length <= MAX_ENTRIES) return;
    const aged = names.map((n) => ({ n, t: statSync(join(this.dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }));
    aged.sort((a, b) => a.t - b.t);
    for (const { n } of aged.slice(0, names.length - (MAX_ENTRIES * 3) / 4)) rmSync(join(this.dir, n), { force: true });
  }
}

/** Offsets into a text of `length` characters, ascending. */
function offsets(at: unknown, length: number): at is number[] {
  return Array.isArray(at) && at.every((v, i) => Number.isSafeInteger(v) && v >= 0 && v < length && (i === 0 || v > at[i - 1]));
}

/**
 * Where `name`'s hashed fields are in `source` (name lowercased): from `cache` when it holds an
 * entry for these bytes whose every field verifies, else computed, and kept when `cache` covers the file.
 */
export function hashedFieldsFor(source: KnownHostsSource, name: string, cache: KnownHostsCache | undefined): number[] {
  const kept = cache?.covers(source) ? cache : undefined;
  const cached = kept?.get(source, name);
  if (cached !== undefined) {
    const matcher = new HashedNameMatcher(name);
    if (cached.every((at) => matcher.matchesAt(source.text, at))) return cached;
  }
  const at = hashedFieldsIn(source, name);
  kept?.put(source, name, at);
  return at;
}
