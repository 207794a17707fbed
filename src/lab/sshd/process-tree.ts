import { readdir, readFile } from "node:fs/promises";

/** Parent pid and state of a process from /proc/<pid>/stat (state "Z" is a zombie). */
export async function processStat(pid: number): Promise<{ ppid: number; state: string } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (stat === undefined) return undefined;
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", ppid: Number(fields[1]) };
}

/** True while `pid` runs: a zombie waiting to be reaped (or one being torn down) counts as gone. */
export async function isAlive(pid: number): Promise<boolean> {
  const state = (await processStat(pid))?.state;
  return state !== undefined && state !== "Z" && state !== "X";
}

/** Every live process's parent, read from /proc. */
async function parents(): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = await processStat(pid);
    if (stat && stat.state !== "Z") map.set(pid, stat.ppid);
  }
  return map;
}

/** The live descendants of `root` (children, their children, …), root excluded. */
export async function descendants(root: number): Promise<number[]> {
  const ppids = await parents();
  const found: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop();
    for (const [pid, ppid] of ppids) {
      if (ppid === parent) {
        found.push(pid);
        frontier.push(pid);
      }
    }
  }
  return found;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/**
 * Kills `root`'s descendants (and `root` itself when asked) with no window for escape: every
 * process found is stopped first, so none can fork a child the scan has not seen, then all get
 * SIGKILL. The root is stopped too while its tree is scanned, and resumed when it is kept.
 */
export async function killTree(root: number, options: { includeRoot: boolean }): Promise<number[]> {
  signal(root, "SIGSTOP");
  const frozen = new Set<number>();
  try {
    for (;;) {
      const fresh = (await descendants(root)).filter((pid) => !frozen.has(pid));
      if (fresh.length === 0) break;
      for (const pid of fresh) {
        signal(pid, "SIGSTOP");
        frozen.add(pid);
      }
    }
    for (const pid of frozen) signal(pid, "SIGKILL");
  } finally {
    if (options.includeRoot) signal(root, "SIGKILL");
    else signal(root, "SIGCONT");
  }
  return [...frozen];
}

/** Sends `name` to `root` and every descendant (SIGSTOP to freeze a server, SIGCONT to thaw it). */
export async function signalTree(root: number, name: NodeJS.Signals): Promise<number[]> {
  const pids = [root, ...(await descendants(root))];
  for (const pid of pids) signal(pid, name);
  return pids;
}
