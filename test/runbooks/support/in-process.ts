// The engine run in this process as `recover RUNBOOK ARGS --yes` would run it, with the given
// checkpoint port (the Git checkpoint module, recording its commits) and the transports of the
// single factory (ssh targets may be given their own).
import { prepareRun } from "../../../src/cli/commands/prepare.js";
import { systemClock } from "../../../src/engine/clock.js";
import type { EngineEvent } from "../../../src/engine/events.js";
import type { CheckpointPort } from "../../../src/engine/ports.js";
import { type RunResult, runPlan } from "../../../src/engine/run-plan.js";
import type { RunState } from "../../../src/engine/run-state.js";
import type { PlannedTarget } from "../../../src/plan/types.js";
import { openTransport } from "../../../src/transports/open.js";
import type { Transport } from "../../../src/transports/types.js";
import { memoryJournal, options } from "../../engine/scripted.js";

export interface InProcessRun {
  runbook: string;
  args: string[];
  param?: string[];
  gitops: string;
  checkpoints: CheckpointPort;
  /** The environment of kubectl and local commands (KUBECACHEDIR, HOME). */
  env: NodeJS.ProcessEnv;
  ssh?: (target: PlannedTarget) => Transport;
  resume?: RunState;
  onEvent: (event: EngineEvent) => void;
}

export async function runInProcess(run: InProcessRun): Promise<RunResult & { journal: ReturnType<typeof memoryJournal> }> {
  process.env.RECOVER_CACHE = "off";
  const prepared = prepareRun(run.runbook, run.args, { gitops: run.gitops, param: run.param ?? [] });
  const journal = memoryJournal();
  const open = (_name: string, target: PlannedTarget): Transport => {
    if (target.kind === "ssh" && run.ssh) return run.ssh(target);
    return openTransport(target, { env: run.env, cwd: run.gitops });
  };
  const result = await runPlan(
    prepared.plan,
    { openTransport: open, clock: systemClock, journal, checkpoints: run.checkpoints, emit: run.onEvent },
    options({
      context: { params: prepared.params, inventory: prepared.inventory?.inventory ?? {}, repo: { dir: run.gitops } },
      ...(run.resume ? { resume: run.resume } : {}),
    }),
  );
  return { ...result, journal };
}
