import { InputError } from "../../errors.js";
import type { RunInGit } from "./find-runs.js";

/** A run whose newest checkpoint is its last stage, done: Git records it as finished. */
export const finishedInGit = (run: RunInGit): boolean => run.status === "done" && run.stageIndex === run.stageCount - 1;

/** `3/7 evict (done, commit abc1234)`: where a run's newest checkpoint left it. */
export const checkpointLabel = (run: RunInGit): string =>
  `stage ${run.stageIndex + 1}/${run.stageCount} ${run.stageId} (${run.status}, commit ${run.commit.slice(0, 7)})`;

/**
 * The run `resume --from-git` continues: the one named, else the only unfinished one. None, an
 * unknown or finished id, or several unfinished runs and none named: nothing is guessed (exit 2).
 */
export function pickRunToResume(runs: RunInGit[], runId: string | undefined, dir: string): RunInGit {
  const listing = (list: RunInGit[]) => list.map((r) => `${r.runId}  last checkpoint ${checkpointLabel(r)}`).join("\n  ");
  if (runId !== undefined) {
    const run = runs.find((r) => r.runId === runId);
    if (!run)
      throw new InputError(
        `no checkpoint of run ${runId} in the history of ${dir} (its current branch)`,
        runs.length ? `runs recorded there:\n  ${listing(runs)}` : "git fetch, or check out the branch the run pushed to",
      );
    if (finishedInGit(run))
      throw new InputError(`run ${runId} finished: its last checkpoint is ${checkpointLabel(run)}; there is nothing to resume`);
    return run;
  }
  const unfinished = runs.filter((r) => !finishedInGit(r));
  const [only, ...more] = unfinished;
  if (!only)
    throw new InputError(
      `no unfinished run in the history of ${dir} (its current branch)`,
      runs.length ? "every run recorded there finished (recover runs --from-git)" : "git fetch, or check out the branch the run pushed to",
    );
  if (more.length > 0)
    throw new InputError(
      `${unfinished.length} unfinished runs in the history of ${dir}; name the one to resume:\n  ${listing(unfinished)}`,
      `recover resume --from-git ${only.runId}`,
    );
  return only;
}
