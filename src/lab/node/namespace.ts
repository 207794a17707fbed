import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile, readlink } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { identify, type ProcessIdentity } from "../state/process-identity.js";

/** A node's namespaces, kept alive by a holder process tethered to the lab daemon. */
export interface NodeNamespaces {
  holder: ProcessIdentity;
  /** `mnt:[inode]`: every process showing it in /proc/<pid>/ns/mnt is inside this node. */
  mntNs: string;
  child: ChildProcess;
}

/**
 * The holder: `unshare --mount --uts --propagation private` running a shell that waits on its
 * stdin. The daemon holds the other end, so when the daemon dies, even by kill -9, the holder
 * exits and the namespaces (and the mounts only they hold) go once its sessions end.
 */
const HOLDER = "echo ready; read -r _ || true";

export async function startNamespaces(node: string): Promise<NodeNamespaces> {
  const child = spawn(
    "unshare",
    ["--mount", "--uts", "--propagation", "private", "--", "/bin/sh", "-c", HOLDER, `recover-lab-node-${node}`],
    {
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  child.stdin?.on("error", () => {});
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const ready = await new Promise<boolean>((resolve) => {
    child.stdout?.once("data", () => resolve(true));
    child.once("exit", () => resolve(false));
  });
  const pid = child.pid;
  const holder = pid === undefined ? undefined : await identify(pid);
  if (!ready || !holder) throw new Error(`the namespaces of node ${node} did not start: unshare ${stderr.trim() || "exited"}`);
  return { holder, mntNs: await readlink(`/proc/${holder.pid}/ns/mnt`), child };
}

/** nsenter's arguments to run a command inside a node's namespaces. */
export function nsenterArgs(holderPid: number): string[] {
  return ["--target", String(holderPid), "--mount", "--uts", "--"];
}

/** The pids of every process inside a mount namespace (read from /proc). */
export async function processesIn(mntNs: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const ns = await readlink(`/proc/${pid}/ns/mnt`).catch(() => undefined);
    if (ns === mntNs) pids.push(pid);
  }
  return pids;
}

/** Every lab node's /etc holds its lab's id: how a namespace is told from another that reused its inode number. */
export const LAB_ID_FILE = "/etc/recover-lab/lab-id";

/** True when `pid` sees this lab's id file: it runs inside one of this lab's nodes. */
async function insideLab(pid: number, labId: string): Promise<boolean> {
  return (await readFile(`/proc/${pid}/root${LAB_ID_FILE}`, "utf8").catch(() => "")).trim() === labId;
}

/**
 * Kills every process of this lab in the namespace (by pid, SIGKILL) until none is left;
 * resolves with those still there after `timeoutMs`. A process whose namespace only shares the
 * recorded inode number (reused after the lab's namespace ended) is left alone.
 */
export async function emptyNamespace(mntNs: string, labId: string, timeoutMs = 5_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids: number[] = [];
    for (const pid of await processesIn(mntNs)) if (await insideLab(pid, labId)) pids.push(pid);
    if (pids.length === 0 || Date.now() > deadline) return pids;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }
    await sleep(50);
  }
}
