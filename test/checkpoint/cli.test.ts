import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GitCheckpoints } from "../../src/checkpoint/index.js";
import { runCliAsync } from "../helpers/cli.js";
import { type GitSandbox, inPlainDirectory, sandboxPerTest } from "./git-sandbox.js";
import { CANARY, editSteps, recoveryPlan, recoveryRunbook, STORAGE, stageInput } from "./plans.js";

const newSandbox = sandboxPerTest();

function withRunbook(text = recoveryRunbook()) {
  const sandbox = newSandbox();
  const runbook = join(sandbox.root, "reregister.yaml");
  writeFileSync(runbook, text);
  return { sb: sandbox, runbook };
}

/** A runbook file in the sandbox: its first stage suspends storage in Git, `more` lines follow that step. */
function runbookFile(sb: GitSandbox, name: string, params: string, more: string[]): string {
  const file = join(sb.root, `${name}.yaml`);
  const stage = [
    "  - id: suspend",
    "    title: Suspend storage",
    "    steps:",
    `      - {id: suspend-storage, edit: {file: ${STORAGE}, set: {spec.suspend: true}}}`,
  ];
  writeFileSync(
    file,
    `apiVersion: recover/v1\nkind: Runbook\nmetadata: {name: ${name}}\nsummary: ${name} storage in Git\nparams:\n  node: {type: string, positional: true}\n${params}stages:\n${[...stage, ...more].join("\n")}\n`,
  );
  return file;
}

describe("recover plan --diff", () => {
  it("prints under each checkpoint the diff it would commit, and changes nothing", async () => {
    const { sb, runbook } = withRunbook();
    const result = await runCliAsync(["plan", runbook, "k3s1", "--gitops", sb.work, "--diff", "--wide"], { env: sb.env });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    const at = lines.findIndex((l) =>
      l.includes('checkpoint git commit "recover reregister k3s1: Suspend Flux, parents first (stage 1/3)"'),
    );
    expect(lines.slice(at + 1, at + 6)).toEqual([
      "        --- /dev/null",
      "        +++ b/.sourceignore",
      "        @@ -0,0 +1,2 @@",
      "        +# recover's run journals (checkpoints), never applied to the cluster",
      "        +.recover/",
    ]);
    expect(result.stdout).toContain("        -  suspend: false\n        +  suspend: true\n");
    expect(result.stdout).toContain(
      "        note: .recover/runs/<run id>/journal.jsonl: the run's journal up to this stage (secrets redacted)\n",
    );
    expect(sb.git(["status", "--porcelain"])).toBe("");

    const dryRun = await runCliAsync(["run", runbook, "k3s1", "--dry-run", "--diff", "--wide", "--gitops", sb.work], { env: sb.env });
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain("dry run: nothing is executed");
    expect(dryRun.stdout).toContain("        +  suspend: true\n");
    const plain = await runCliAsync(["plan", runbook, "k3s1", "--gitops", sb.work], { env: sb.env });
    expect(plain.stdout).not.toContain("+++");
  });

  it("marks an edit that cannot apply to the checkout and exits 2", async () => {
    const { sb, runbook } = withRunbook(recoveryRunbook().replace("{kind: Node, name:", "{kind: Kustomization, name:"));
    const result = await runCliAsync(["plan", runbook, "k3s1", "--gitops", sb.work, "--diff", "--wide"], { env: sb.env });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(
      "        ✗ cannot apply, so this stage writes none of its edits: edit step node-config: infrastructure/k3s1-node-config/k3s1-node.yaml, document Kustomization/k3s1: no document with kind Kustomization and name k3s1",
    );
    expect(result.stderr).toContain(
      "recover: error: 1 stage would fail on an edit that cannot apply to this checkout (marked ✗ above); nothing was run",
    );
  });

  it("refuses --diff with -o json", async () => {
    const { sb, runbook } = withRunbook();
    const result = await runCliAsync(["plan", runbook, "k3s1", "--gitops", sb.work, "--diff", "-o", "json"], { env: sb.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--diff shows in the text preview");
  });
});

describe("recover runs --from-git", () => {
  it("lists the runs recorded in a fresh clone's history, newest first", async () => {
    const sb = newSandbox();
    const plan = recoveryPlan({ push: true });
    const checkpoints = new GitCheckpoints({ repoDir: sb.work, env: sb.env });
    await checkpoints.preflight(plan);
    for (const s of [0, 1]) {
      for (const step of editSteps(plan, s)) await checkpoints.applyEdit(step);
      await checkpoints.commitStage(stageInput(plan, "20260101T000000Z-cli", s, s === 1 ? "interrupted" : "done"));
    }
    const fresh = sb.clone("fresh");
    const commit = sb.git(["rev-parse", "HEAD"], fresh).trim();

    const text = await runCliAsync(["runs", "--from-git", "--gitops", fresh], { env: sb.env });
    expect(text.stderr).toBe("");
    const [header, row, more] = text.stdout.split("\n");
    expect(header).toMatch(/^RUN +RUNBOOK +LAST CHECKPOINT +STATUS +COMMIT +DATE$/);
    expect(row).toMatch(
      new RegExp(`^20260101T000000Z-cli +reregister k3s1 +2/3 node +interrupted, unfinished +${commit.slice(0, 12)} +\\d{4}-`),
    );
    expect(more).toBe("");

    const json = await runCliAsync(["runs", "--from-git", "-o", "json"], { cwd: fresh, env: sb.env });
    expect(JSON.parse(json.stdout)).toMatchObject([
      { runId: "20260101T000000Z-cli", commit, stageIndex: 1, stageCount: 3, status: "interrupted" },
    ]);
  });

  it("says when a checkout has no runs, and refuses a directory that is not a repository (exit 3)", async () => {
    const sandbox = newSandbox();
    const none = await runCliAsync(["runs", "--from-git", "--gitops", sandbox.work], { env: sandbox.env });
    expect(none).toMatchObject({ code: 0, stdout: `no recover runs in the history of ${sandbox.work}\n` });
    await inPlainDirectory(async (dir, env) => {
      const refused = await runCliAsync(["runs", "--from-git", "--gitops", dir], { env: env as Record<string, string> });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`${dir} is not a Git repository`);
    });
  });
});

describe("a run through the engine commits its checkpoints (real CLI, real git)", () => {
  it("commits and pushes each stage, lists the run from Git, and never commits the secret", async () => {
    const sb = newSandbox();
    const runbook = runbookFile(sb, "flip", "  token: {type: string, secret: true}\n", [
      "  - id: resume",
      "    title: Resume storage",
      "    steps:",
      `      - {id: resume-storage, edit: {file: ${STORAGE}, set: {spec.suspend: false}}}`,
    ]);
    const state = join(sb.root, "state");
    const run = await runCliAsync(
      [runbook, "k3s1", "--param", `token=${CANARY}`, "--gitops", sb.work, "--yes", "--output", "plain", "--state-dir", state],
      { env: sb.env },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(sb.git(["log", "--format=%s", "-2"]).trim().split("\n")).toEqual([
      "recover flip k3s1: Resume storage (stage 2/2)",
      "recover flip k3s1: Suspend storage (stage 1/2)",
    ]);
    expect(sb.git(["rev-parse", "main"], sb.remote)).toBe(sb.git(["rev-parse", "HEAD"]));
    expect(sb.git(["status", "--porcelain"])).toBe("");
    expect(sb.git(["log", "-p", "--all"])).not.toContain(CANARY);
    const listed = await runCliAsync(["runs", "--from-git", "-o", "json", "--gitops", sb.clone("fresh")], { env: sb.env });
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { runbook: "flip k3s1", stageIndex: 1, stageCount: 2, status: "done", state: "done" },
    ]);
  });
});

describe("recover resume after a crash between an edit and its checkpoint", () => {
  it("accepts the run's own uncommitted edit, commits it with the stage, as the --git-author given", async () => {
    const sb = newSandbox({ identity: false });
    const runbook = runbookFile(sb, "crash", "", [
      "      - id: die",
      "        needs: [suspend-storage]",
      '        skipIf: {local: [test, -e, ../crashed], expect: "result.exitCode == 0"}',
      "        local: [sh, -c, 'touch ../crashed && kill -9 $PPID']",
    ]);
    const state = join(sb.root, "state");
    const common = ["--yes", "--output", "plain", "--state-dir", state, "--git-author", "Night Shift <oncall@example.invalid>"];
    const crashed = await runCliAsync([runbook, "k3s1", "--gitops", sb.work, ...common], { env: sb.env });
    expect(crashed.code).not.toBe(0); // killed
    expect(sb.git(["status", "--porcelain"])).toBe(` M ${STORAGE}\n`);

    const resumed = await runCliAsync(["resume", ...common], { env: sb.env });
    expect(resumed.stderr).toMatch(/^recover: taking over the lock local: its holder, pid \d+ of run [\w-]+, is gone\n$/);
    expect(resumed.code).toBe(0);
    expect(sb.git(["log", "-1", "--format=%s|%an <%ae>"]).trim()).toBe(
      "recover crash k3s1: Suspend storage (stage 1/1)|Night Shift <oncall@example.invalid>",
    );
    expect(sb.git(["show", "--name-only", "--format=", "HEAD"])).toContain(STORAGE);
    expect(sb.git(["status", "--porcelain"])).toBe("");
  });
});
