// The port's answer to a resumed run: "did this run already make this stage's checkpoint commit?"
// Real git, a clone with a bare remote.
import { describe, expect, it } from "vitest";
import { GitCheckpoints } from "../../src/checkpoint/index.js";
import { sandboxPerTest } from "./git-sandbox.js";
import { editSteps, recoveryPlan, stageInput } from "./plans.js";

const RUN = "20260101T020304Z-found1";
const newSandbox = sandboxPerTest();

async function committed(options: { push?: boolean; status?: "done" | "failed"; pushFails?: boolean } = {}) {
  const sb = newSandbox();
  const plan = recoveryPlan({ push: options.push });
  const checkpoints = new GitCheckpoints({ repoDir: sb.work, env: sb.env, retry: { attempts: 1 } });
  await checkpoints.preflight(plan);
  for (const step of editSteps(plan, 0)) await checkpoints.applyEdit(step);
  if (options.pushFails) sb.git(["remote", "set-url", "origin", `${sb.root}/gone.git`]);
  const made = await checkpoints.commitStage(stageInput(plan, RUN, 0, options.status)).catch(() => undefined);
  if (options.pushFails) sb.git(["remote", "set-url", "origin", sb.remote]);
  const lookup = (runId: string, stageIndex: number) => {
    const { stage, stageCount } = stageInput(plan, runId, stageIndex);
    return checkpoints.committedStage({ runId, stage, stageIndex, stageCount });
  };
  return { sb, made, lookup, head: sb.git(["rev-parse", "HEAD"]).trim() };
}

describe("committedStage: the checkpoint a run already made for a stage", () => {
  it("finds this run's done commit of the stage on the branch; none for another stage or another run", async () => {
    const { made, lookup, head } = await committed();
    expect(made?.commit).toBe(head);
    expect(await lookup(RUN, 0)).toEqual({ commit: head, pushed: false });
    expect(await lookup(RUN, 1)).toBeNull();
    expect(await lookup("20260101T020304Z-other1", 0)).toBeNull();
  });

  it("a failed stage's checkpoint is not its done commit", async () => {
    const { lookup } = await committed({ status: "failed" });
    expect(await lookup(RUN, 0)).toBeNull();
  });

  it("a pushed stage whose push failed: the commit found is pushed now", async () => {
    const { sb, lookup, head } = await committed({ push: true, pushFails: true });
    expect(sb.git(["rev-parse", "main"], sb.remote).trim()).not.toBe(head);
    expect(await lookup(RUN, 0)).toEqual({ commit: head, pushed: true });
    expect(sb.git(["rev-parse", "main"], sb.remote).trim()).toBe(head);
  });
});
