import { rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointRefusedError, GitCheckpoints } from "../../src/checkpoint/index.js";
import { inPlainDirectory, sandboxPerTest } from "./git-sandbox.js";
import { editSteps, NODE, recoveryPlan, STORAGE, stageInput } from "./plans.js";

const newSandbox = sandboxPerTest();

async function refusal(checkpoints: GitCheckpoints, plan = recoveryPlan()): Promise<CheckpointRefusedError> {
  const error = await checkpoints.preflight(plan).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CheckpointRefusedError);
  expect((error as CheckpointRefusedError).exitCode).toBe(3);
  return error as CheckpointRefusedError;
}

describe("the checkpoint preflight refuses before the first step, changing nothing (exit 3)", () => {
  it("uncommitted changes in files the plan edits, listed; changes elsewhere are fine", async () => {
    const sb = newSandbox();
    sb.write(STORAGE, "changed by hand\n");
    sb.write(NODE, "staged by hand\n");
    sb.git(["add", NODE]);
    sb.write("README.md", "unrelated\n");
    const error = await refusal(new GitCheckpoints({ repoDir: sb.work, env: sb.env }));
    expect(error.reason).toBe("dirty-files");
    expect(error.files.sort()).toEqual([STORAGE, NODE].sort());
    expect(error.message).toContain(`uncommitted changes in files the plan edits:\n  modified   ${STORAGE}\n  staged     ${NODE}`);
    expect(error.message).toContain("hint: commit or stash them");
    expect(sb.git(["status", "--porcelain"])).toBe(` M ${STORAGE}\nM  ${NODE}\n?? README.md\n`);

    sb.git(["checkout", "--", STORAGE]);
    sb.git(["reset", "--quiet", "--hard"]);
    expect(await new GitCheckpoints({ repoDir: sb.work, env: sb.env }).preflight(recoveryPlan())).toMatchObject({ branch: "main" });
  });

  it("a resumed run accepts uncommitted changes in the plan's files (its own edits)", async () => {
    const sandbox = newSandbox();
    sandbox.write(STORAGE, "spec: {suspend: true}\n");
    const checkpoints = new GitCheckpoints({ repoDir: sandbox.work, env: sandbox.env, resumed: true });
    await expect(checkpoints.preflight(recoveryPlan())).resolves.toMatchObject({ branch: "main" });
  });

  it("no git identity, unless --git-author is given (then it authors and commits)", async () => {
    const sb = newSandbox({ identity: false });
    const error = await refusal(new GitCheckpoints({ repoDir: sb.work, env: sb.env }));
    expect(error.reason).toBe("no-identity");
    expect(error.message).toContain('--git-author "Name <mail>"');

    const plan = recoveryPlan();
    const checkpoints = new GitCheckpoints({ repoDir: sb.work, env: sb.env, gitAuthor: "Night Shift <oncall@example.invalid>" });
    await checkpoints.preflight(plan);
    for (const step of editSteps(plan, 0)) await checkpoints.applyEdit(step);
    await checkpoints.commitStage(stageInput(plan, "run-1", 0));
    expect(sb.git(["log", "-1", "--format=%an <%ae> / %cn <%ce>"]).trim()).toBe(
      "Night Shift <oncall@example.invalid> / Night Shift <oncall@example.invalid>",
    );
    expect(() => new GitCheckpoints({ repoDir: sb.work, gitAuthor: "nobody" })).toThrow(/is not "Name <mail>"/);
  });

  it("a detached HEAD, an operation in progress, a branch without upstream when a stage pushes", async () => {
    const sb = newSandbox();
    const checkpoints = new GitCheckpoints({ repoDir: sb.work, env: sb.env });
    sb.git(["checkout", "--quiet", "--detach"]);
    expect((await refusal(checkpoints)).reason).toBe("detached-head");
    sb.git(["checkout", "--quiet", "main"]);

    writeFileSync(join(sb.work, ".git", "MERGE_HEAD"), `${sb.git(["rev-parse", "HEAD"]).trim()}\n`);
    expect((await refusal(checkpoints)).message).toContain("a merge is in progress");
    rmSync(join(sb.work, ".git", "MERGE_HEAD"));

    sb.git(["branch", "--quiet", "--unset-upstream"]);
    await expect(checkpoints.preflight(recoveryPlan())).resolves.toMatchObject({ branch: "main" }); // no stage pushes
    const noUpstream = await refusal(checkpoints, recoveryPlan({ push: true }));
    expect(noUpstream.reason).toBe("no-upstream");
    expect(noUpstream.message).toContain("git branch --set-upstream-to=origin/main");
  });

  it("a directory that is not a Git work tree, or not there", async () => {
    await inPlainDirectory(async (dir, env) => {
      expect((await refusal(new GitCheckpoints({ repoDir: dir, env }))).reason).toBe("not-a-work-tree");
      expect((await refusal(new GitCheckpoints({ repoDir: join(dir, "missing"), env }))).reason).toBe("no-checkout");
    });
  });

  it("a plan that edits a file whose symlink leads out of the checkout", async () => {
    const sb = newSandbox();
    rmSync(join(sb.work, STORAGE));
    writeFileSync(join(sb.root, "elsewhere.yaml"), "spec: {}\n");
    symlinkSync(join(sb.root, "elsewhere.yaml"), join(sb.work, STORAGE));
    sb.git(["add", "-A"]);
    sb.git(["commit", "--quiet", "-m", "link"]);
    const error = await refusal(new GitCheckpoints({ repoDir: sb.work, env: sb.env }));
    expect(error.reason).toBe("unsafe-path");
    expect(error.files).toEqual([STORAGE]);
    expect(error.message).toContain("outside the GitOps checkout");
  });
});
