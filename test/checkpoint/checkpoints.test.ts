import { readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EditError, GitCheckpoints } from "../../src/checkpoint/index.js";
import { type GitSandbox, type gitSandbox, IDENTITY, sandboxPerTest } from "./git-sandbox.js";
import { CANARY, editSteps, journalFor, MONITORING, NODE, planHash, recoveryPlan, STORAGE, stageInput } from "./plans.js";

const RUN = "20260101T020304Z-a1b2c3";

const newSandbox = sandboxPerTest();

function setup(options: Parameters<typeof gitSandbox>[0] = {}) {
  const sandbox = newSandbox(options);
  const checkpoints = new GitCheckpoints({ repoDir: sandbox.work, env: sandbox.env });
  return { sb: sandbox, checkpoints };
}

const read = (sb: GitSandbox, file: string) => readFileSync(join(sb.work, file), "utf8");

describe("a stage's checkpoint commit", () => {
  it("holds the stage's edited files and the journal snapshot, with the plan's message and the trailers", async () => {
    const { sb, checkpoints } = setup();
    const plan = recoveryPlan();
    const start = sb.git(["rev-parse", "HEAD"]).trim();
    expect(await checkpoints.preflight(plan)).toEqual({ branch: "main", head: start });
    for (const step of editSteps(plan, 0)) expect(await checkpoints.applyEdit(step)).toMatchObject({ changed: true });
    const input = stageInput(plan, RUN, 0);
    const result = await checkpoints.commitStage(input);

    expect(result).toEqual({ commit: sb.git(["rev-parse", "HEAD"]).trim(), pushed: false });
    expect(sb.git(["rev-parse", "HEAD~1"]).trim()).toBe(start);
    const files = sb.git(["show", "--name-only", "--format=", "HEAD"]).trim().split("\n").sort();
    expect(files).toEqual([".recover/runs/20260101T020304Z-a1b2c3/journal.jsonl", ".sourceignore", STORAGE, MONITORING]);
    expect(sb.git(["log", "-1", "--format=%B"])).toBe(
      `recover reregister k3s1: Suspend Flux, parents first (stage 1/3)\n\nRecover-Run: ${RUN}\nRecover-Stage: 1/3 suspend\nRecover-Status: done\nRecover-Plan: ${planHash(plan)}\n\n`,
    );
    expect(sb.git(["log", "-1", "--format=%(trailers:key=Recover-Status,valueonly)"]).trim()).toBe("done");
    expect(sb.git(["show", `HEAD:.recover/runs/${RUN}/journal.jsonl`])).toBe(input.journal);
    expect(sb.git(["log", "-1", "--format=%an <%ae> / %cn <%ce>"]).trim()).toBe(
      `${IDENTITY.name} <${IDENTITY.email}> / ${IDENTITY.name} <${IDENTITY.email}>`,
    );
    expect(sb.git(["status", "--porcelain"])).toBe("");
  });

  it("adds .recover/ to .sourceignore once, keeping what it held", async () => {
    const { sb, checkpoints } = setup({ files: { ".sourceignore": "# Flux ignores these\n*.md" } });
    const plan = recoveryPlan();
    await checkpoints.preflight(plan);
    for (const [s] of plan.stages.entries()) {
      for (const step of editSteps(plan, s)) await checkpoints.applyEdit(step);
      await checkpoints.commitStage(stageInput(plan, RUN, s));
    }
    expect(read(sb, ".sourceignore")).toBe(
      "# Flux ignores these\n*.md\n# recover's run journals (checkpoints), never applied to the cluster\n.recover/\n",
    );
    expect(sb.git(["log", "--format=%h", "--", ".sourceignore"]).trim().split("\n")).toHaveLength(2); // the seed, then one checkpoint
    expect(sb.git(["log", "--format=%s", "-3"]).trim().split("\n")).toEqual([
      "recover reregister k3s1: Resume Flux (stage 3/3)",
      "recover reregister k3s1: Write the Node CR (stage 2/3)",
      "recover reregister k3s1: Suspend Flux, parents first (stage 1/3)",
    ]);
    expect(sb.git(["show", "--name-only", "--format=", "HEAD~1"]).trim().split("\n").sort()).toEqual([
      `.recover/runs/${RUN}/journal.jsonl`,
      NODE,
    ]);
  });

  it("leaves a .sourceignore that already ignores .recover/ alone", async () => {
    const { sb, checkpoints } = setup({ files: { ".sourceignore": "/.recover/\n" } });
    const plan = recoveryPlan();
    await checkpoints.preflight(plan);
    await checkpoints.commitStage(stageInput(plan, RUN, 1));
    expect(read(sb, ".sourceignore")).toBe("/.recover/\n");
    expect(sb.git(["show", "--name-only", "--format=", "HEAD"]).trim()).toBe(`.recover/runs/${RUN}/journal.jsonl`);
  });

  it("commits a failed stage with what it changed and says so; the operator's other staged work stays out", async () => {
    const { sb, checkpoints } = setup();
    const plan = recoveryPlan();
    await checkpoints.preflight(plan);
    sb.write("README.md", "notes of the operator\n");
    sb.git(["add", "README.md"]);
    await checkpoints.applyEdit(editSteps(plan, 0)[0] as never);
    const { commit } = await checkpoints.commitStage(stageInput(plan, RUN, 0, "failed"));
    expect(
      sb
        .git(["show", "--name-only", "--format=", commit as string])
        .trim()
        .split("\n")
        .sort(),
    ).toEqual([`.recover/runs/${RUN}/journal.jsonl`, ".sourceignore", STORAGE]);
    expect(sb.git(["log", "-1", "--format=%(trailers:key=Recover-Status,valueonly)"]).trim()).toBe("failed");
    expect(sb.git(["status", "--porcelain"])).toBe("A  README.md\n");
  });

  it("never holds the secret canary when the journal it is given is redacted", async () => {
    const { sb, checkpoints } = setup();
    const plan = recoveryPlan({ push: true });
    expect(JSON.stringify(plan)).not.toContain(CANARY); // the planner redacts the secret param
    await checkpoints.preflight(plan);
    for (const [s] of plan.stages.entries()) {
      for (const step of editSteps(plan, s)) await checkpoints.applyEdit(step);
      await checkpoints.commitStage(stageInput(plan, RUN, s));
    }
    const history = sb.git(["log", "-p", "--all", "--format=%H%n%B"]);
    expect(history).toContain(journalFor(plan, RUN, 2).split("\n")[0]);
    expect(history).not.toContain(CANARY);
    expect(sb.git(["log", "-p", "--all"], sb.remote)).not.toContain(CANARY);
  });
});

describe("edit steps on the checkout", () => {
  it("re-applying an edit that is already in the file changes nothing", async () => {
    const { sb, checkpoints } = setup();
    const step = editSteps(recoveryPlan(), 1)[0] as never;
    expect(await checkpoints.applyEdit(step)).toEqual({ file: NODE, changed: true });
    const once = read(sb, NODE);
    const mtime = statSync(join(sb.work, NODE)).mtimeMs;
    expect(await checkpoints.applyEdit(step)).toEqual({ file: NODE, changed: false });
    expect(read(sb, NODE)).toBe(once);
    expect(statSync(join(sb.work, NODE)).mtimeMs).toBe(mtime);
  });

  it("an edit that cannot apply names the file and path and leaves the file untouched", async () => {
    const { sb, checkpoints } = setup();
    const before = read(sb, NODE);
    const action = { kind: "edit" as const, file: NODE, set: { "spec.allowScheduling": false, "spec.name.first": "x" } };
    const error = await checkpoints.applyEdit({ id: "node-config", action }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EditError);
    expect(error).toMatchObject({ file: NODE, path: "spec.name.first", step: "node-config", exitCode: 1 });
    expect((error as Error).message).toBe(
      `edit step node-config: ${NODE}, spec.name.first: spec.name is a scalar ("k3s1"), not a map or list`,
    );
    expect(read(sb, NODE)).toBe(before);

    const missing = { kind: "edit" as const, file: NODE, document: { kind: "Node", name: "k3s9" }, set: { "spec.tags": [] } };
    await expect(checkpoints.applyEdit({ id: "n", action: missing })).rejects.toThrow(
      `${NODE}, document Node/k3s9: no document with kind Node and name k3s9`,
    );
    expect(read(sb, NODE)).toBe(before);
    expect(sb.git(["status", "--porcelain"])).toBe("");
  });

  it("refuses files outside the checkout after resolving symlinks, and .git", async () => {
    const { sb, checkpoints } = setup();
    const outside = join(sb.root, "outside.yaml");
    writeFileSync(outside, "a: 1\n");
    symlinkSync(outside, join(sb.work, "linked.yaml"));
    symlinkSync(sb.root, join(sb.work, "escape"));
    const edit = (file: string) => checkpoints.applyEdit({ id: "e", action: { kind: "edit", file, set: { a: 2 } } });
    await expect(edit("linked.yaml")).rejects.toMatchObject({
      file: "linked.yaml",
      message: expect.stringContaining("outside the GitOps checkout"),
    });
    await expect(edit("escape/outside.yaml")).rejects.toThrow(/outside the GitOps checkout/);
    await expect(edit("escape/work/.git/config")).rejects.toThrow(/inside \.git/);
    await expect(edit(".git/config")).rejects.toThrow(/is inside \.git/);
    expect(readFileSync(outside, "utf8")).toBe("a: 1\n");
  });

  it("writes a stage's edits all or nothing: a later edit that cannot apply stops the first", async () => {
    const { sb, checkpoints } = setup();
    const plan = recoveryPlan();
    const stage = plan.stages[0] as (typeof plan.stages)[number];
    const second = stage.steps[1] as (typeof stage.steps)[number];
    second.action = { kind: "edit", file: MONITORING, document: { kind: "HelmRelease" }, set: { "spec.suspend": true } };
    await checkpoints.preflight(plan);
    const before = read(sb, STORAGE);
    const error = await checkpoints.applyEdit(editSteps(plan, 0)[0] as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: "suspend-monitoring", file: MONITORING });
    expect((error as Error).message).toContain("stage suspend writes its edits all or nothing: none was written");
    expect(read(sb, STORAGE)).toBe(before);

    // An undo (here after a resume, in a new process) is not held back by the edits that would have followed.
    const first = stage.steps[0] as (typeof stage.steps)[number];
    const undo = { kind: "edit" as const, file: STORAGE, set: { "spec.suspend": false, "metadata.labels.undone": "yes" } };
    first.undo = { action: undo };
    const resumed = new GitCheckpoints({ repoDir: sb.work, env: sb.env, resumed: true });
    await resumed.preflight(plan);
    expect(await resumed.applyEdit({ id: first.id, action: undo })).toEqual({ file: STORAGE, changed: true });
  });

  it("content creates a file and remove deletes one; both are committed", async () => {
    const { sb, checkpoints } = setup();
    const plan = recoveryPlan();
    await checkpoints.applyEdit({ id: "note", action: { kind: "edit", file: "recover/notes/k3s1.txt", content: "k3s1 was reset\n" } });
    await checkpoints.applyEdit({ id: "drop", action: { kind: "edit", file: MONITORING, remove: true } });
    expect(await checkpoints.applyEdit({ id: "drop", action: { kind: "edit", file: MONITORING, remove: true } })).toEqual({
      file: MONITORING,
      changed: false,
    });
    await checkpoints.commitStage(stageInput(plan, RUN, 1));
    expect(sb.git(["show", "--name-status", "--format=", "HEAD"]).trim().split("\n").sort()).toEqual([
      `A\t.recover/runs/${RUN}/journal.jsonl`,
      "A\t.sourceignore",
      `A\trecover/notes/k3s1.txt`,
      `D\t${MONITORING}`,
    ]);
    // The next stage removes the note it committed: a deletion of a file the run knows git tracks.
    await checkpoints.applyEdit({ id: "drop-note", action: { kind: "edit", file: "recover/notes/k3s1.txt", remove: true } });
    await checkpoints.commitStage(stageInput(plan, RUN, 2));
    expect(sb.git(["show", "--name-status", "--format=", "HEAD"]).trim().split("\n").sort()).toEqual([
      "D\trecover/notes/k3s1.txt",
      `M\t.recover/runs/${RUN}/journal.jsonl`,
    ]);
    expect(sb.git(["status", "--porcelain"])).toBe("");
  });
});
