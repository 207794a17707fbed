import { InternalError } from "../errors.js";
import type { Plan, PlannedStep } from "../plan/types.js";
import type { Transport } from "../transports/types.js";
import { captureValue } from "./captures.js";
import { checkMessage, checkName, runCheck } from "./check.js";
import { execOn } from "./exec.js";
import type { EngineOptions } from "./options.js";
import type { Clock, OpenTransport } from "./ports.js";
import { Run } from "./run.js";
import { conditionAt, resolveAction } from "./runtime-expr.js";

/** What `--dry-run --probe` found out about one step. */
export interface ProbeNote {
  step: string;
  note: string;
}

/** Refuses anything but a read-only command: in probe mode nothing that changes can reach a target. */
function readOnlyOnly(transport: Transport): Transport {
  return {
    kind: transport.kind,
    name: transport.name,
    exec: (request) => {
      if (request.readOnly !== true) throw new InternalError(`probe mode tried to run a mutating command on ${transport.name}`);
      return transport.exec(request);
    },
    close: () => transport.close(),
  };
}

/**
 * Runs only the read-only parts of a plan against the real targets (skipIf, guards, steps marked
 * readOnly, with their captures) and says which steps would be skipped and which guard would stop
 * the run. No journal, lock, checkpoint or prompt: nothing is changed or recorded.
 */
export async function probePlan(
  plan: Plan,
  deps: { openTransport: OpenTransport; clock: Clock },
  options: Pick<EngineOptions, "context" | "secrets" | "probeTimeoutMs">,
): Promise<ProbeNote[]> {
  const notes: ProbeNote[] = [];
  const discard = { append: () => undefined, sync: async () => undefined, text: () => "" };
  const run = new Run(
    plan,
    {
      openTransport: (name, target) => readOnlyOnly(deps.openTransport(name, target)),
      clock: deps.clock,
      journal: discard,
      emit: () => undefined,
    },
    { runId: "probe", planHash: "", parallel: 1, yes: false, yesPrompts: false, stepMode: false, ...options },
  );
  const signal = new AbortController().signal;
  try {
    for (const step of run.steps) notes.push({ step: step.id, note: await probeStep(run, step, signal) });
  } finally {
    await run.close();
  }
  return notes;
}

async function probeStep(run: Run, step: PlannedStep, signal: AbortSignal): Promise<string> {
  if (step.skip) return `not run: ${step.skip}`;
  try {
    if (step.when && !conditionAt(step.when, run.context(step))) return `would be skipped: when ${step.when} is false`;
  } catch {
    return `when ${step.when} is decided at run time (it reads what earlier steps produce)`;
  }
  try {
    if (step.skipIf && (await runCheck(run, step, step.skipIf, signal)).holds)
      return `would be skipped: already done (${checkName(step.skipIf)})`;
    for (const guard of step.guards) {
      const held = await runCheck(run, step, guard, signal);
      if (!held.holds) {
        const message = checkMessage(run, step, guard);
        return `guard "${checkName(guard)}" would stop the run here${message ? `: ${message}` : ""}${held.seen ? ` (${held.seen})` : ""}`;
      }
    }
    if (!step.readOnly) return step.guards.length > 0 ? "would run (its guards hold now)" : "would run";
    const action = resolveAction(step.action, run.context(step));
    if (action.kind !== "sh" && action.kind !== "kubectl" && action.kind !== "local") return "would run";
    const result = await execOn(run, action, step.target, {
      step: step.id,
      readOnly: true,
      signal,
      ...(step.timeoutMs ? { timeoutMs: step.timeoutMs } : {}),
    });
    if (result.exitCode !== 0)
      return `read-only step fails now: exited ${result.exitCode}: ${result.stderr.trim().split("\n").at(-1) ?? ""}`;
    if (step.capture)
      run.emit({
        type: "capture",
        step: step.id,
        as: step.capture.as,
        value: captureValue(result.stdout, step.capture.format, result.json),
      });
    return "read-only step ran";
  } catch (error) {
    if (error instanceof InternalError) throw error;
    return `cannot probe now: ${(error as Error).message}`;
  }
}
