import { isMarker, RUN_MARKER } from "../transports/run-marker.js";
import { RefusedError } from "./errors.js";
import type { Run } from "./run.js";
import { wasInFlight } from "./step-state.js";
import type { StepRecord } from "./step-table.js";

type Leftover = NonNullable<StepRecord["process"]>;

const isId = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n > 1;

/**
 * Ends what a step left running, as an sh script for its target; it prints `gone`, `ended` or
 * `killed`. Only processes carrying the step's marker are touched (TERM, up to ~2 s, then KILL):
 * the recorded process group is ended too, but only while a marked process is in it. A group id
 * outlives nothing: after a reboot, or once pids wrapped, the same number is a stranger's, and
 * this runs as root on a node. Undefined when there is nothing to go by.
 */
export function endLeftoverScript(leftover: Pick<Leftover, "pgid" | "pid" | "runMarker">): string | undefined {
  const { runMarker, pgid, pid } = leftover;
  if (runMarker === undefined || !isMarker(runMarker)) return pid !== undefined && isId(pid) ? endPidScript(pid) : undefined;
  const group = isId(pgid) ? pgid : undefined;
  const lines = [
    `marked() { grep -l -z -x -a -F '${RUN_MARKER}=${runMarker}' /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3; }`,
    "group=",
    ...(group === undefined
      ? []
      : [
          // "pid (comm) STATE ppid pgrp …": after the last ") ", the group is the third word.
          `for p in $(marked); do s=$(cat /proc/$p/stat 2>/dev/null) || continue; set -- \${s##*) }; [ "$3" = ${group} ] && group=${group}; done`,
        ]),
    'alive() { [ -n "$(marked)" ] || { [ -n "$group" ] && kill -s 0 -- -$group 2>/dev/null; }; }',
    "alive || { echo gone; exit 0; }",
    'kill -s TERM $(marked) 2>/dev/null; [ -n "$group" ] && kill -s TERM -- -$group 2>/dev/null',
    "i=0; while alive && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done",
    "alive || { echo ended; exit 0; }",
    'kill -s KILL $(marked) 2>/dev/null; [ -n "$group" ] && kill -s KILL -- -$group 2>/dev/null; echo killed',
  ];
  // A local target without /proc (not Linux): only the pid recorded can be gone by.
  if (pid !== undefined && isId(pid)) lines.unshift(`[ -r /proc/self/environ ] || { ${endPidScript(pid).replace(/\n/g, "; ")}; exit 0; }`);
  return lines.join("\n");
}

/** A local pid, for a journal that has no marker: TERM, up to ~2 s for it to go, then KILL. */
function endPidScript(pid: number): string {
  return [
    `kill -s 0 ${pid} 2>/dev/null || { echo gone; exit 0; }`,
    `kill -s TERM ${pid} 2>/dev/null || true`,
    `i=0; while kill -s 0 ${pid} 2>/dev/null && [ "$i" -lt 40 ]; do sleep 0.05; i=$((i+1)); done`,
    `kill -s KILL ${pid} 2>/dev/null && echo killed || echo ended`,
  ].join("\n");
}

/**
 * Resume, before anything else: a step that was running when the run died may still run (its
 * processes on the host, its local pid). Each is ended, and the operator is told. A remote group
 * recorded without a marker (a journal from before markers) is left alone, saying so.
 */
export async function endLeftovers(run: Run): Promise<void> {
  for (const [id, record] of run.state.steps.entries()) {
    if (!wasInFlight(record) || !record.process) continue;
    const { target, pgid, pid } = record.process;
    const what = pgid ? `process group ${pgid} on ${target}` : pid ? `pid ${pid} on ${target}` : `processes on ${target}`;
    // kubectl and local commands ran on this machine; only an ssh target's ran on the host.
    const onHost = target !== "local" && run.plan.targets[target]?.kind === "ssh";
    const script = onHost && record.process.runMarker === undefined ? undefined : endLeftoverScript(record.process);
    if (!script) {
      if (pgid || pid)
        run.emit({
          type: "notice",
          message: `step ${id} was running when the run stopped: its ${what} was left alone, as nothing recorded tells its processes from others that may have that number now; check the host (ps -g ${pgid ?? pid}) before the run goes on`,
        });
      continue;
    }
    try {
      const result = await run.transport(onHost ? target : undefined).exec({
        command: { script },
        readOnly: false,
        timeoutMs: 15_000,
        step: id,
      });
      const said = result.stdout.trim().split("\n").at(-1) ?? "";
      run.emit({
        type: "notice",
        message: `step ${id} was running when the run stopped: its ${what} ${said === "gone" ? "was already gone" : "was ended"}`,
      });
    } catch (error) {
      throw new RefusedError(
        `step ${id} was running when the run stopped, and its ${what} could not be ended: ${(error as Error).message}; check the host, then resume`,
      );
    }
  }
}
