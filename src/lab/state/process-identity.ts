import { readFile } from "node:fs/promises";

/** A process as the lab recorded it: a pid alone could be reused by another process after a crash. */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot): with the pid, unique until reboot. */
  startTime: number;
}

/** The start time of a live process, or undefined when it is gone or a zombie. */
export async function startTimeOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (stat === undefined) return undefined;
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (fields[0] === "Z" || fields[0] === "X") return undefined;
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : undefined;
}

/** Reads the identity of a running process (undefined when it is already gone). */
export async function identify(pid: number): Promise<ProcessIdentity | undefined> {
  const startTime = await startTimeOf(pid);
  return startTime === undefined ? undefined : { pid, startTime };
}

/** True while the recorded process itself still runs (not another one that got its pid). */
export async function stillRuns(process: ProcessIdentity): Promise<boolean> {
  return (await startTimeOf(process.pid)) === process.startTime;
}
