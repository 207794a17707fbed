import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Scripts already found clean, remembered between runs of one build of recover: loading the shell
 * parser costs more than the rest of `recover validate` (its Go runtime starts up in JavaScript),
 * and an operator checks the same scripts again and again. Only clean scripts are kept, whole (a
 * problem is found afresh, with its position). It lives beside the cache of validated input
 * (src/cli/cache/), in the build's own folder, so a new build never trusts an old verdict and the
 * old folder is pruned with the rest. Every failure to read or write is a miss.
 */
export class VerdictCache {
  private known: Set<string> | undefined;

  constructor(private readonly file: string | undefined) {}

  /** The cache of a bundled recover (`build` is its id); none when running from modules (tests) or with RECOVER_CACHE=off. */
  static forBuild(build: string | undefined, env: NodeJS.ProcessEnv): VerdictCache {
    if (!build || env.RECOVER_CACHE === "off") return new VerdictCache(undefined);
    const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
    return new VerdictCache(join(base, "recover", "validated", build, "sh-clean.json"));
  }

  isClean(script: string): boolean {
    return this.load().has(script);
  }

  rememberClean(script: string): void {
    const known = this.load();
    if (known.has(script) || !this.file) return;
    known.add(script);
    try {
      mkdirSync(join(this.file, ".."), { recursive: true, mode: 0o700 });
      // Written whole, then renamed: a reader sees the old list or the new one, never half of one.
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify([...known]), { mode: 0o600 });
      renameSync(temp, this.file);
    } catch {
      // Read-only home, full disk: the next run checks again.
    }
  }

  private load(): Set<string> {
    if (this.known) return this.known;
    this.known = new Set();
    if (!this.file) return this.known;
    try {
      const list = JSON.parse(readFileSync(this.file, "utf8")) as unknown;
      if (Array.isArray(list)) for (const script of list) if (typeof script === "string") this.known.add(script);
    } catch {
      // No cache yet.
    }
    return this.known;
  }
}
