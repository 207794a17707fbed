import type { PlannedStage } from "../plan/types.js";
import type { Run } from "./run.js";
import type { RunState } from "./run-state.js";
import { isSettled } from "./step-state.js";

/** Every step of the stage was settled before the run reached it: nothing of it runs in this process. */
export const settledOnArrival = (stage: PlannedStage, state: RunState): boolean =>
  stage.steps.every((s) => {
    const record = state.steps.get(s.id);
    return record !== undefined && isSettled(record.state);
  });

/**
 * Resume of a stage found settled: its checkpoint commit may be made already, since a stage's done
 * record follows its commit (and is never in the commit's journal snapshot). When the port finds
 * that commit, the stage is done without a second one, and a notice says so.
 */
export async function foundCheckpoint(run: Run, index: number): Promise<boolean> {
  const stage = run.plan.stages[index];
  const port = run.deps.checkpoints;
  if (!stage?.checkpoint || !port?.committedStage) return false;
  const found = await port.committedStage({ runId: run.options.runId, stage, stageIndex: index, stageCount: run.plan.stages.length });
  if (!found) return false;
  run.emit({
    type: "notice",
    message: `stage ${stage.id}: its checkpoint commit ${found.commit.slice(0, 7)} of this run is already on the branch${found.pushed ? " and pushed" : ""}: not made again`,
  });
  return true;
}
