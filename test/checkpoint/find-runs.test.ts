import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointRefusedError, findRunsInGit, GitCheckpoints } from "../../src/checkpoint/index.js";
import type { Plan } from "../../src/plan/types.js";
import { inPlainDirectory, sandboxPerTest } from "./git-sandbox.js";
import { editSteps, planHash, recoveryPlan, stageInput } from "./plans.js";

const newSandbox = sandboxPerTest();

/** Runs stages `from`..`to` of `plan` as the engine would, committing each (the last with `lastStatus`). */
async function runStages(
  checkpoints: GitCheckpoints,
  plan: Plan,
  runId: string,
  from: number,
  to: number,
  lastStatus: "done" | "failed" = "done",
) {
  await checkpoints.preflight(plan);
  for (let s = from; s <= to; s++) {
    for (const step of editSteps(plan, s)) await checkpoints.applyEdit(step);
    const input = stageInput(plan, runId, s, s === to ? lastStatus : "done");
    await checkpoints.commitStage({ ...input, journal: `${input.journal}{"type":"note","text":"stage ${s + 1} — ünïcode ✓"}\n` });
  }
}

describe("findRunsInGit", () => {
  it("finds each run's newest checkpoint and its journal on a fresh clone, newest run first", async () => {
    const sb = newSandbox();
    const plan = recoveryPlan({ push: true });
    const checkpoints = () => new GitCheckpoints({ repoDir: sb.work, env: sb.env });
    await runStages(checkpoints(), plan, "20260101T000000Z-first", 0, 2);
    sb.git(["revert", "--no-edit", "--quiet", "HEAD~3..HEAD"]); // put the files back for a second run
    sb.git(["push", "--quiet"]);
    await runStages(checkpoints(), plan, "20260102T000000Z-second", 0, 1, "failed");

    const fresh = sb.clone("fresh");
    const runs = await findRunsInGit(fresh, sb.env);
    expect(runs.map((r) => [r.runId, r.stageIndex, r.stageCount, r.stageId, r.status])).toEqual([
      ["20260102T000000Z-second", 1, 3, "node", "failed"],
      ["20260101T000000Z-first", 2, 3, "resume", "done"],
    ]);
    const [second] = runs;
    expect(second?.commit).toBe(sb.git(["rev-parse", "HEAD"]).trim());
    expect(second?.planHash).toBe(planHash(plan));
    expect(second?.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    const journal = sb.git(["show", `HEAD:.recover/runs/20260102T000000Z-second/journal.jsonl`]);
    expect(second?.journal).toBe(journal);
    expect(second?.journal.endsWith('{"type":"note","text":"stage 2 — ünïcode ✓"}\n')).toBe(true);
    expect(JSON.parse(second?.journal.split("\n")[0] as string)).toMatchObject({ type: "run", runId: "20260102T000000Z-second" });
  });

  it("continues an interrupted run from a fresh clone: the next stage's checkpoint joins the same run", async () => {
    const sb = newSandbox();
    const plan = recoveryPlan({ push: true });
    await runStages(new GitCheckpoints({ repoDir: sb.work, env: sb.env }), plan, "run-interrupted", 0, 0);
    const fresh = sb.clone("other-machine");
    const [found] = await findRunsInGit(fresh, sb.env);
    expect(found).toMatchObject({ runId: "run-interrupted", stageIndex: 0, status: "done" });
    const next = (found?.stageIndex ?? 0) + 1;
    await runStages(new GitCheckpoints({ repoDir: fresh, env: sb.env, resumed: true }), plan, "run-interrupted", next, 2);
    const runs = await findRunsInGit(sb.clone("third"), sb.env);
    expect(runs.map((r) => [r.runId, r.stageIndex, r.status])).toEqual([["run-interrupted", 2, "done"]]);
    expect(sb.git(["log", "--format=%(trailers:key=Recover-Stage,valueonly)", "-3"], fresh).split("\n").filter(Boolean)).toEqual([
      "3/3 resume",
      "2/3 node",
      "1/3 suspend",
    ]);
  });

  it("ignores commits that only mention the trailers, and returns nothing for a repository without runs or commits", async () => {
    const sb = newSandbox();
    sb.git([
      "commit",
      "--quiet",
      "--allow-empty",
      "-m",
      "docs: how to read Recover-Run: trailers\n\nRecover-Run: x is how it looks.\n\nSigned-off-by: A <a@example.invalid>",
    ]);
    expect(await findRunsInGit(sb.work, sb.env)).toEqual([]);
    const empty = join(sb.root, "empty");
    sb.git(["init", "--quiet", empty], sb.root);
    expect(await findRunsInGit(empty, sb.env)).toEqual([]);
  });

  it("refuses a directory that is not a Git repository (exit 3)", async () => {
    await inPlainDirectory(async (dir, env) => {
      await expect(findRunsInGit(dir, env)).rejects.toBeInstanceOf(CheckpointRefusedError);
    });
  });
});
