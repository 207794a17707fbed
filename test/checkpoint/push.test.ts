import { renameSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GitCheckpoints, PushConflictError, PushError } from "../../src/checkpoint/index.js";
import { type GitSandbox, sandboxPerTest } from "./git-sandbox.js";
import { editSteps, MONITORING, recoveryPlan, stageInput } from "./plans.js";

const RUN = "20260101T020304Z-push01";

const newSandbox = sandboxPerTest();

/** A checkout whose stage 1 edits are applied, ready to commit with push; `sleeps` records the retry delays. */
async function ready(retry: { sleep?: (ms: number) => Promise<void> } = {}) {
  const sb = newSandbox();
  const sleeps: number[] = [];
  const plan = recoveryPlan({ push: true });
  const checkpoints = new GitCheckpoints({
    repoDir: sb.work,
    env: sb.env,
    retry: {
      delaysMs: [10, 20],
      sleep: async (ms) => {
        sleeps.push(ms);
        await retry.sleep?.(ms);
      },
    },
  });
  await checkpoints.preflight(plan);
  for (const step of editSteps(plan, 0)) await checkpoints.applyEdit(step);
  const remoteHead = () => sb.git(["rev-parse", "main"], sb.remote).trim();
  return { sb, plan, checkpoints, sleeps, remoteHead };
}

/** A teammate pushes a commit changing `file` from their own clone. */
function teammatePushes(sb: GitSandbox, file: string, text: string): string {
  const other = sb.clone("teammate");
  sb.write(file, text, other);
  sb.git(["add", "-A"], other);
  sb.git(["commit", "--quiet", "-m", `teammate changes ${file}`], other);
  sb.git(["push", "--quiet", "origin", "main"], other);
  return sb.git(["rev-parse", "HEAD"], other).trim();
}

describe("pushing checkpoints", () => {
  it("pushes the checkpoint to the branch's upstream", async () => {
    const { sb, plan, checkpoints, remoteHead } = await ready();
    const result = await checkpoints.commitStage(stageInput(plan, RUN, 0));
    expect(result).toEqual({ commit: sb.git(["rev-parse", "HEAD"]).trim(), pushed: true });
    expect(remoteHead()).toBe(result.commit);
    expect(sb.git(["rev-parse", "origin/main"]).trim()).toBe(result.commit);
  });

  it("rejected by an unrelated upstream change: rebases onto it and pushes again", async () => {
    const { sb, plan, checkpoints, remoteHead } = await ready();
    const theirs = teammatePushes(sb, "apps/notes.md", "the teammate's unrelated change\n");
    const result = await checkpoints.commitStage(stageInput(plan, RUN, 0));
    expect(result.pushed).toBe(true);
    expect(remoteHead()).toBe(result.commit);
    expect(sb.git(["rev-parse", `${result.commit}~1`]).trim()).toBe(theirs);
    expect(sb.git(["log", "-1", "--format=%(trailers:key=Recover-Run,valueonly)", result.commit as string]).trim()).toBe(RUN);
    expect(sb.git(["show", "HEAD:apps/notes.md"])).toBe("the teammate's unrelated change\n");
    expect(sb.git(["status", "--porcelain"])).toBe("");
  });

  it("rejected by an upstream change to a file the run changes: stops with both commits, nothing lost", async () => {
    const { sb, plan, checkpoints, remoteHead } = await ready();
    const theirs = teammatePushes(sb, MONITORING, "# the teammate rewrote it\n");
    const error = await checkpoints.commitStage(stageInput(plan, RUN, 0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushConflictError);
    const ours = sb.git(["rev-parse", "HEAD"]).trim();
    expect(error).toMatchObject({
      localCommit: ours,
      remoteCommit: theirs,
      files: [MONITORING],
      remote: "origin",
      branch: "main",
      exitCode: 1,
    });
    expect((error as Error).message).toContain(`moved to ${theirs}`);
    expect((error as Error).message).toContain(`checkpoint ${ours} is committed on your branch main`);
    expect((error as Error).message).toContain("git pull --rebase origin main");
    expect(remoteHead()).toBe(theirs);
    expect(sb.git(["log", "-1", "--format=%s"]).trim()).toBe("recover reregister k3s1: Suspend Flux, parents first (stage 1/3)");
    expect(sb.git(["show", `HEAD:${MONITORING}`])).toContain("suspend: true");
    expect(sb.git(["status", "--porcelain"])).toBe("");
  });

  it("a remote that is down: three attempts with backoff, then stops with the local commit kept", async () => {
    const { sb, plan, checkpoints, sleeps, remoteHead } = await ready();
    const before = remoteHead();
    renameSync(sb.remote, `${sb.remote}.down`);
    const error = await checkpoints.commitStage(stageInput(plan, RUN, 0)).catch((e: unknown) => e);
    renameSync(`${sb.remote}.down`, sb.remote);
    expect(error).toBeInstanceOf(PushError);
    expect(error).not.toBeInstanceOf(PushConflictError);
    const ours = sb.git(["rev-parse", "HEAD"]).trim();
    expect(error).toMatchObject({ attempts: 3, localCommit: ours, remote: "origin" });
    expect((error as Error).message).toMatch(/^could not push origin after 3 attempts: .*does not appear to be a git repository/);
    expect(sleeps).toEqual([10, 20]);
    expect(remoteHead()).toBe(before);
    expect(sb.git(["log", "-1", "--format=%(trailers:key=Recover-Stage,valueonly)"]).trim()).toBe("1/3 suspend");
  });

  it("a remote that comes back between attempts: pushed on the third", async () => {
    let remote = "";
    const { sb, plan, checkpoints, sleeps, remoteHead } = await ready({
      sleep: async () => {
        if (sleeps.length === 2) renameSync(`${remote}.down`, remote);
      },
    });
    remote = sb.remote;
    const down = `${sb.remote}.down`;
    renameSync(sb.remote, down);
    const result = await checkpoints.commitStage(stageInput(plan, RUN, 0));
    expect(result.pushed).toBe(true);
    expect(sleeps).toEqual([10, 20]);
    expect(remoteHead()).toBe(result.commit);
  });
});
