import { checkpointLog } from "./checkpoint-log.js";
import type { GitContext } from "./run-git.js";

export interface StageOfRun {
  runId: string;
  /** 0-based. */
  stageIndex: number;
  stageCount: number;
  stageId: string;
}

/** The newest `done` checkpoint commit of this run and stage reachable from HEAD, or undefined. */
export async function findStageCheckpoint(git: GitContext, want: StageOfRun): Promise<string | undefined> {
  const entries = await checkpointLog(git, `Recover-Run: ${want.runId}`);
  return entries.find(
    ({ trailers: t }) =>
      t.runId === want.runId &&
      t.stageIndex === want.stageIndex &&
      t.stageCount === want.stageCount &&
      t.stageId === want.stageId &&
      t.status === "done",
  )?.commit;
}
