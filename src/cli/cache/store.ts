import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * JSON entries addressed by a hash of what they were derived from, for one build of recover. A run that
 * writes removes the entries of other builds, so the folder holds one build's worth. Every failure to
 * read or write is a miss: the cache only ever saves time.
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

  key(...parts: string[]): string {
    const hash = createHash("sha256");
    for (const part of parts) hash.update(`${part.length}:${part}`);
    return hash.digest("hex");
  }

  get<T>(key: string): T | undefined {
    try {
      return JSON.parse(readFileSync(this.file(key), "utf8")) as T;
    } catch {
      return undefined;
    }
  }

  put(key: string, value: unknown): void {
    try {
      mkdirSync(join(this.root, this.build), { recursive: true, mode: 0o700 });
      const file = this.file(key);
      // Written whole, then renamed: a reader sees the old entry, the new one or none, never half of one.
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(value), { mode: 0o600 });
      renameSync(temp, file);
      this.pruneOtherBuilds();
    } catch {
      // A cache that cannot be written is a cache that misses.
    }
  }

  private file(key: string): string {
    return join(this.root, this.build, `${key}.json`);
  }

  private pruneOtherBuilds(): void {
    if (this.pruned) return;
    this.pruned = true;
    for (const build of readdirSync(this.root)) if (build !== this.build) rmSync(join(this.root, build), { recursive: true, force: true });
  }
}
