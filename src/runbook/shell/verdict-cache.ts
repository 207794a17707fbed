import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Scripts already found clean, remembered between runs: loading the shell parser costs more than
 * the rest of `recover validate` (its Go runtime starts up in JavaScript), and an operator checks
 * the same runbook again and again. Only clean verdicts are kept (a problem is found afresh, with
 * its position), keyed by the script and by the checking code itself, so a new version of the
 * check never trusts an old verdict. A cache that cannot be read or written is simply not used.
 */
export class VerdictCache {
  private known: Set<string> | undefined;

  constructor(
    private readonly file: string | undefined,
    private readonly salt: string,
  ) {}

  /** The cache under $XDG_CACHE_HOME/recover (~/.cache/recover), for the checking code whose files are `sources`. */
  static forCode(sources: readonly URL[]): VerdictCache {
    try {
      const code = createHash("sha256");
      for (const source of sources) code.update(readFileSync(source));
      const salt = code.digest("hex").slice(0, 16);
      const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "recover");
      return new VerdictCache(join(dir, `sh-clean-${salt}.txt`), salt);
    } catch {
      return new VerdictCache(undefined, "");
    }
  }

  isClean(script: string): boolean {
    return this.load().has(this.key(script));
  }

  rememberClean(script: string): void {
    const key = this.key(script);
    const known = this.load();
    if (known.has(key) || !this.file) return;
    known.add(key);
    try {
      mkdirSync(join(this.file, ".."), { recursive: true, mode: 0o700 });
      appendFileSync(this.file, `${key}\n`, { mode: 0o600 });
    } catch {
      // Read-only home, full disk: the next run checks again.
    }
  }

  private key(script: string): string {
    return createHash("sha256").update(this.salt).update("\0").update(script).digest("hex").slice(0, 32);
  }

  private load(): Set<string> {
    if (this.known) return this.known;
    this.known = new Set();
    if (!this.file) return this.known;
    try {
      for (const line of readFileSync(this.file, "utf8").split("\n")) if (line) this.known.add(line);
    } catch {
      // No cache yet.
    }
    return this.known;
  }
}
