import { RefusedError } from "./errors.js";
import type { Run } from "./run.js";
import { wasInFlight } from "./step-state.js";

/** Ends a process group (or a pid): TERM, up to ~2 s for it to go, then KILL. Succeeds when it is already gone. */
export function endProcessScript(process: { pgid?: number; pid?: number }): string | undefined {
  const who = process.pgid ? `-- -${process.pgid}` : process.pid ? String(process.pid) : undefined;
  if (!who) return undefined;
  return [
    `kill -s 0 ${who} 2>/dev/null || { echo gone; exit 0; }`,
    `kill -s TERM ${who} 2>/dev/null || true`,
    `i=0; while kill -s 0 ${who} 2>/dev/null && [ "$i" -lt 40 ]; do sleep 0.05; i=$((i+1)); done`,
    `kill -s KILL ${who} 2>/dev/null && echo killed || echo ended`,
  ].join("\n");
}

/**
 * Resume, before anything else: a step that was running when the run died may still run (its
 * process group on the host, its local pid). Each is ended, and the operator is told.
 */
export async function endLeftovers(run: Run): Promise<void> {
  for (const [id, record] of run.state.steps.entries()) {
    if (!wasInFlight(record) || !record.process) continue;
    const script = endProcessScript(record.process);
    if (!script) continue;
    const { target, pgid, pid } = record.process;
    const what = pgid ? `process group ${pgid} on ${target}` : `pid ${pid} on ${target}`;
    try {
      const result = await run.transport(target === "local" ? undefined : target).exec({
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
