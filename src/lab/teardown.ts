import { readdir, readFile, rm, rmdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { DAEMON_ENTRY, daemonPidFile } from "./daemon/daemon-files.js";
import { CLAIMS_DIR, releaseClaim } from "./host/claims.js";
import { backingFileOf, detachLoop, loopsOf } from "./host/loop.js";
import { emptyNamespace } from "./node/namespace.js";
import { killTree } from "./sshd/process-tree.js";
import { identify, type ProcessIdentity, stillRuns } from "./state/process-identity.js";
import { type LabResource, type LabState, writeState } from "./state/state-file.js";

/** What `down` did and what it could not undo (then the directory and its state.json stay, for another try). */
export interface TeardownReport {
  done: string[];
  leftovers: string[];
}

async function waitGone(process: ProcessIdentity, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await stillRuns(process)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

/** The daemon as recorded, or from the pid file it writes before starting (a crash may have come between). */
async function daemonIdentity(state: LabState, record: LabResource & { kind: "process" }): Promise<ProcessIdentity | undefined> {
  if (record.process) return (await stillRuns(record.process)) ? record.process : undefined;
  const pid = Number((await readFile(daemonPidFile(state.dir), "utf8").catch(() => "")).trim());
  if (!(pid > 0)) return undefined;
  // Only the lab's own daemon for this directory, never another process that got the pid.
  const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0");
  if (!cmdline.includes(DAEMON_ENTRY) || !cmdline.includes(state.dir)) return undefined;
  return identify(pid);
}

async function stopProcess(state: LabState, record: LabResource & { kind: "process" }, report: TeardownReport): Promise<void> {
  const target =
    record.role === "daemon"
      ? await daemonIdentity(state, record)
      : record.process && (await stillRuns(record.process))
        ? record.process
        : undefined;
  if (!target) return;
  if (record.role === "daemon") {
    // Asked first: it stops its sshds and emulator in order; killed if it does not.
    process.kill(target.pid, "SIGTERM");
    if (await waitGone(target, 5_000)) {
      report.done.push(`stopped the daemon (pid ${target.pid})`);
      return;
    }
  }
  if (await stillRuns(target)) await killTree(target.pid, { includeRoot: true });
  if (await waitGone(target, 2_000)) report.done.push(`killed ${record.role} (pid ${target.pid})`);
  else report.leftovers.push(`${record.role} (pid ${target.pid}) still runs`);
}

async function emptyNodeNamespaces(state: LabState, record: LabResource & { kind: "namespace" }, report: TeardownReport): Promise<void> {
  if (record.holder && (await stillRuns(record.holder))) process.kill(record.holder.pid, "SIGKILL");
  if (!record.mntNs) return;
  const left = await emptyNamespace(record.mntNs, state.id);
  if (left.length > 0) report.leftovers.push(`processes ${left.join(", ")} still run in node ${record.node}'s namespace`);
  else report.done.push(`emptied node ${record.node}'s namespaces`);
}

/** Detaches every loop device over the lab file (checked against the kernel, never another device), until the kernel lets go. */
async function detachLoops(record: LabResource & { kind: "loop" }, report: TeardownReport): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const devices = new Set(await loopsOf(record.backingFile).catch(() => []));
    if (record.device && (await backingFileOf(record.device)) === record.backingFile) devices.add(record.device);
    if (devices.size === 0) {
      report.done.push(`detached ${record.device ?? "the loop device"} (${record.id.replace(/^loop:/, "")})`);
      return;
    }
    if (Date.now() > deadline) {
      report.leftovers.push(`${[...devices].join(", ")} over ${record.backingFile} is still attached (busy?)`);
      return;
    }
    for (const device of devices) await detachLoop(device).catch(() => {});
    await sleep(50);
  }
}

async function hostMountsUnder(dir: string): Promise<string[]> {
  const text = await readFile("/proc/self/mountinfo", "utf8");
  return text
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .filter((mount) => mount === dir || mount.startsWith(`${dir}/`));
}

/**
 * Undoes a lab from its state.json alone, whatever its phase (up, failed, or crashed halfway):
 * stops its processes (by pid and start time), empties its nodes' namespaces, detaches its loop
 * devices, gives back its addresses, and removes the directory once nothing is left.
 */
export async function teardown(state: LabState): Promise<TeardownReport> {
  const report: TeardownReport = { done: [], leftovers: [] };
  await writeState({ ...state, phase: "stopping" }).catch(() => {});
  const of = <K extends LabResource["kind"]>(kind: K) => state.resources.filter((r): r is LabResource & { kind: K } => r.kind === kind);
  // The daemon first: its sshds and namespaces' holders end with it.
  const processes = of("process");
  for (const record of [...processes.filter((p) => p.role === "daemon"), ...processes.filter((p) => p.role !== "daemon")])
    await stopProcess(state, record, report);
  for (const record of of("namespace")) await emptyNodeNamespaces(state, record, report);
  for (const record of of("loop")) await detachLoops(record, report);
  for (const record of of("claim")) await releaseClaim(record.path, { dir: state.dir, id: state.id });
  const otherLabs = (await readdir(CLAIMS_DIR).catch(() => [])).length > 0;
  for (const record of of("host-dir"))
    if (!otherLabs) await rmdir(record.path).catch(() => report.done.push(`left ${record.path} (not empty)`));
  const mounts = await hostMountsUnder(state.dir);
  if (mounts.length > 0) report.leftovers.push(`mounted under the lab directory: ${mounts.join(", ")}`);
  if (report.leftovers.length === 0) await rm(state.dir, { recursive: true, force: true });
  return report;
}
