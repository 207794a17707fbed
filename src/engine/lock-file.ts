import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Plan } from "../plan/types.js";
import { LockedError } from "./errors.js";

/** Who holds a lock: written into the lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  runId: string;
  since: string;
}

/** One lock per ssh host and kube context the plan touches; `local` for a plan with only local targets. */
export function lockKeys(plan: Plan): string[] {
  const keys = new Set<string>();
  for (const target of Object.values(plan.targets)) {
    if (target.kind === "ssh") keys.add(`ssh-${target.host}`);
    if (target.kind === "kubectl") keys.add(`kube-${target.context ?? target.kubeconfig ?? "default"}`);
  }
  if (keys.size === 0) keys.add("local");
  return [...keys].sort().map((k) => k.replace(/[^A-Za-z0-9._-]/g, "_"));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Takes every lock file (O_EXCL) in `dir`, in sorted order; a holder that died on this machine is
 * taken over, saying so; a live holder (or one on another machine) stops the run with exit 4.
 * Resolves with the release, which removes only the files this run wrote.
 */
export function takeLockFiles(dir: string, keys: string[], runId: string, notice: (message: string) => void): () => Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const me: LockHolder = { pid: process.pid, host: hostname(), runId, since: new Date().toISOString() };
  const taken: string[] = [];
  const release = async () => {
    for (const file of taken.splice(0)) {
      try {
        if ((JSON.parse(readFileSync(file, "utf8")) as LockHolder).pid === me.pid) unlinkSync(file);
      } catch {
        // Already gone.
      }
    }
  };
  try {
    for (const key of keys) {
      const file = join(dir, `${key}.lock`);
      for (let tries = 0; ; tries++) {
        try {
          writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: "wx", mode: 0o600 });
          taken.push(file);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST" || tries > 2) throw error;
        }
        const holder = readHolder(file);
        // Unreadable: another run is writing it this very moment.
        if (!holder || holder.host !== me.host || alive(holder.pid)) {
          const who = holder ? `run ${holder.runId} (pid ${holder.pid} on ${holder.host}, since ${holder.since})` : "a run starting now";
          throw new LockedError(`${key} is locked by ${who}: one run per node at a time; lock file ${file}`, who);
        }
        notice(`taking over the lock ${key}: its holder, pid ${holder.pid} of run ${holder.runId}, is gone`);
        unlinkSync(file);
      }
    }
  } catch (error) {
    void release();
    throw error;
  }
  return release;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
}
