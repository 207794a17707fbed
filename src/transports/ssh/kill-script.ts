/**
 * The sh script that ends timed-out commands on a host, several at once. A command's processes
 * are those in its process group (sshd starts each session in its own) and those carrying its
 * RUN_MARKER environment variable: a child that moved to another session (`setsid`) keeps the
 * marker. Zombies do not count: nothing may reap them (a container's init), and they run nothing.
 */
import { shellQuote } from "../../util/shell-quote.js";
import { isMarker, RUN_MARKER } from "../run-marker.js";

export { isMarker, RUN_MARKER } from "../run-marker.js";

/** One command to end: its marker value and, once known, its process group. */
export interface KillTarget {
  marker: string;
  pgid?: number;
}

/** "term": SIGTERM, then up to 0.2 s for it to work. "kill": SIGSTOP (so nothing forks past the scan), then SIGKILL, then up to 0.5 s. */
export type KillPhase = "term" | "kill";

/**
 * The script for one phase over `targets`. It prints `left <marker> <pid>` for every process of
 * a target still alive at the end, and nothing else: no line for a target means it is gone.
 */
export function killScript(phase: KillPhase, targets: KillTarget[]): string {
  for (const t of targets) {
    if (!isMarker(t.marker) || (t.pgid !== undefined && !(Number.isInteger(t.pgid) && t.pgid > 1))) {
      throw new RangeError(`not a kill target: ${JSON.stringify(t)}`);
    }
  }
  const groups = targets.filter((t) => t.pgid !== undefined);
  const patterns = targets.map((t) => `-e ${RUN_MARKER}=${t.marker}`).join(" ");
  // A live process's stat reads "pid (comm) STATE ppid pgrp …"; Z and X are zombies and dead.
  const inGroups = `grep -o -a -E ') [^ZX] [0-9]+ (${groups.map((t) => t.pgid).join("|")}) ' /proc/[0-9]*/stat 2>/dev/null;`;
  const byGroup = groups.map((t) => `${t.pgid}) echo "${t.marker} $p";;`).join(" ");
  const groupKill = (signal: string) => groups.map((t) => `kill -s ${signal} -- -${t.pgid} 2>/dev/null;`).join(" ");
  const lines = [
    // Every live process of a target, as "marker pid" (a process may be listed twice). A zombie's
    // environ reads empty, so the marker search finds live processes only.
    "scan() {",
    // -z -x: a whole environment entry, not a mention of it in another variable (sudo's SUDO_COMMAND).
    `  { ${groups.length > 0 ? inGroups : ""} grep -z -x -a -F -H ${patterns} /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n'; } |`,
    "  while IFS= read -r hit; do",
    "    p=${hit#/proc/}; p=${p%%/*}",
    `    case $hit in *${RUN_MARKER}=*) echo "\${hit##*=} $p";; *) set -- \${hit##*:}; case $4 in ${byGroup} esac;; esac`,
    "  done",
    "}",
    'pids() { list=; for w in $found; do case $w in *[!0-9]*) ;; *) list="$list $w";; esac; done; }',
    'settle() { i=0; while [ -n "$found" ] && [ $i -lt $1 ]; do sleep 0.05; found=$(scan); i=$((i+1)); done; }',
    "found=$(scan); pids",
    phase === "term"
      ? `[ -n "$list" ] && kill -s TERM $list 2>/dev/null; ${groupKill("TERM")} settle 4`
      : [
          // Freeze until a scan finds nothing new: a process forking fast cannot outrun the kill.
          'n=0; seen=; while [ -n "$list" ] && [ "$list" != "$seen" ] && [ $n -lt 8 ]; do',
          "  kill -s STOP $list 2>/dev/null; seen=$list; found=$(scan); pids; n=$((n+1)); done",
          `[ -n "$list" ] && kill -s KILL $list 2>/dev/null; ${groupKill("KILL")} found=$(scan); settle 10`,
        ].join("\n"),
    'for w in $found; do case $w in *[!0-9]*) m=$w;; *) echo "left $m $w";; esac; done',
    "exit 0",
  ];
  return lines.join("\n");
}

/** The line a control channel runs for a phase: the script under `sudo` when the commands ran under it. */
export function killLine(phase: KillPhase, targets: KillTarget[], sudoPrefix: string): string {
  return `${sudoPrefix}sh -c ${shellQuote(killScript(phase, targets))}`;
}

/** The processes still alive per marker, from the script's output (markers with none are absent). */
export function parseKillReport(stdout: string): Map<string, number[]> {
  const left = new Map<string, number[]>();
  for (const line of stdout.split("\n")) {
    const [word, marker = "", pid = ""] = line.split(" ");
    if (word !== "left" || !isMarker(marker) || !/^\d+$/.test(pid)) continue;
    const pids = left.get(marker) ?? [];
    if (!pids.includes(Number(pid))) pids.push(Number(pid));
    left.set(marker, pids);
  }
  return left;
}
