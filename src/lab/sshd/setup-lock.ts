import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isAlive } from "./process-tree.js";

const LOCK_DIR = path.join(os.tmpdir(), "recover-lab-setup.lock");
const POLL_MS = 200;

/**
 * Runs `work` while holding a machine-wide lock, so test files starting in parallel do not
 * run apt-get or useradd at the same time. A lock left by a dead process is taken over.
 */
export async function withSetupLock<T>(work: () => Promise<T>, waitMs = 15 * 60_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number((await readFile(path.join(LOCK_DIR, "pid"), "utf8").catch(() => "")).trim());
      // A lock without a pid file may be one being written right now: stale only when old.
      const orphaned = !(owner > 0) && Date.now() - ((await stat(LOCK_DIR).catch(() => undefined))?.mtimeMs ?? 0) > 10_000;
      if ((owner > 0 && !(await isAlive(owner))) || orphaned) {
        await rm(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`waited ${waitMs / 1000} s for the lab setup lock ${LOCK_DIR} (held by pid ${owner || "?"})`);
      await sleep(POLL_MS);
    }
  }
  try {
    await writeFile(path.join(LOCK_DIR, "pid"), String(process.pid));
    return await work();
  } finally {
    await rm(LOCK_DIR, { recursive: true, force: true });
  }
}
