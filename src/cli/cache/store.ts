import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * JSON entries keyed by what they were derived from (file paths, file texts), for one build of recover.
 * An entry keeps its whole key and is used only when that matches exactly, so the file name needs only a
 * cheap hash (node:crypto alone would cost a start-up more than the lookup saves). A run that writes
 * removes the entries of other builds, so the folder holds one build's worth. Every failure to read or
 * write is a miss: the cache only ever saves time.
 */
export class CacheStore {
  private pruned = false;

  constructor(
    /** Holds one folder per build. */
    readonly root: string,
    readonly build: string,
  ) {}

  /** The store of a bundled recover: $XDG_CACHE_HOME/recover (~/.cache/recover); none when RECOVER_CACHE=off. */
  static forUser(build: string, env: NodeJS.ProcessEnv): CacheStore | undefined {
    if (env.RECOVER_CACHE === "off") return undefined;
    const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
    return new CacheStore(join(base, "recover", "validated"), build);
  }

  get<T>(key: readonly string[]): T | undefined {
    try {
      const entry = JSON.parse(readFileSync(this.file(key), "utf8")) as { key: string[]; value: T };
      return entry.key.length === key.length && entry.key.every((part, i) => part === key[i]) ? entry.value : undefined;
    } catch {
      return undefined;
    }
  }

  put(key: readonly string[], value: unknown): void {
    try {
      mkdirSync(join(this.root, this.build), { recursive: true, mode: 0o700 });
      const file = this.file(key);
      // Written whole, then renamed: a reader sees the old entry, the new one or none, never half of one.
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ key, value }), { mode: 0o600 });
      renameSync(temp, file);
      this.pruneOtherBuilds();
    } catch {
      // A cache that cannot be written is a cache that misses.
    }
  }

  private file(key: readonly string[]): string {
    return join(this.root, this.build, `${nameOf(key)}.json`);
  }

  private pruneOtherBuilds(): void {
    if (this.pruned) return;
    this.pruned = true;
    for (const build of readdirSync(this.root)) if (build !== this.build) rmSync(join(this.root, build), { recursive: true, force: true });
  }
}

/** 64 bits of FNV-1a over the key's parts (each prefixed by its length), as hex: a file name, not a proof. */
function nameOf(key: readonly string[]): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (const part of key)
    for (const text of [`${part.length}:`, part])
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
      }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}
