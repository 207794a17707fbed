import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GitCheckpoints } from "../../src/checkpoint/index.js";
import { runCliAsync } from "../helpers/cli.js";
import { sandboxPerTest } from "./git-sandbox.js";
import { editSteps, recoveryPlan, recoveryRunbook, stageInput } from "./plans.js";

const newSandbox = sandboxPerTest();

function withRunbook(text = recoveryRunbook()) {
  const sandbox = newSandbox();
  const runbook = join(sandbox.root, "reregister.yaml");
  writeFileSync(runbook, text);
  return { sb: sandbox, runbook };
}

describe("recover plan --diff", () => {
  it("prints under each checkpoint the diff it would commit, and changes nothing", async () => {
    const { sb, runbook } = withRunbook();
    const result = await runCliAsync(["plan", runbook, "k3s1", "--gitops", sb.work, "--diff"], { env: sb.env });
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

    const dryRun = await runCliAsync(["run", runbook, "k3s1", "--dry-run", "--diff", "--gitops", sb.work], { env: sb.env });
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain("dry run: nothing is executed");
    expect(dryRun.stdout).toContain("        +  suspend: true\n");
    const plain = await runCliAsync(["plan", runbook, "k3s1", "--gitops", sb.work], { env: sb.env });
    expect(plain.stdout).not.toContain("+++");
  });

  it("marks an edit that cannot apply to the checkout and exits 2", async () => {
    const { sb, runbook } = withRunbook(recoveryRunbook().replace("{kind: Node, name:", "{kind: Kustomization, name:"));
    const result = await runCliAsync(["plan", runbook, "k3s1", "--gitops", sb.work, "--diff"], { env: sb.env });
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

  it("says when a checkout has no runs, and that the local list comes with the engine", async () => {
    const sandbox = newSandbox();
    const none = await runCliAsync(["runs", "--from-git", "--gitops", sandbox.work], { env: sandbox.env });
    expect(none).toMatchObject({ code: 0, stdout: `no recover runs in the history of ${sandbox.work}\n` });
    const local = await runCliAsync(["runs"], { env: sandbox.env });
    expect(local.code).toBe(3);
    expect(local.stderr).toContain("recover runs --from-git lists the runs recorded in Git");
  });
});
