import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { failureCleanup } from "../../src/plan/cleanup.js";
import type { Plan } from "../../src/plan/types.js";
import { ROOT, runCli } from "../helpers/cli.js";
import { git, gitopsClone } from "../helpers/gitops-repo.js";

const NODE_CONFIG = "infrastructure/k3s1-node-config/k3s1-node.yaml";

/** A clone, with the plan of longhorn-node k3s1 saved beside it; `runbookInClone` puts the runbook into its recover/runbooks/. */
function savedPlan(options: { runbookInClone?: boolean } = {}) {
  const { dir } = gitopsClone();
  if (options.runbookInClone) {
    mkdirSync(join(dir, "recover", "runbooks"));
    copyFileSync(join(ROOT, "runbooks", "longhorn-node.yaml"), join(dir, "recover", "runbooks", "longhorn-node.yaml"));
  }
  const file = join(dir, "..", "plan.json");
  const made = runCli(["plan", "longhorn-node", "k3s1", "--gitops", dir, "--out", file]);
  expect([made.code, made.stderr]).toEqual([0, `recover: saved the plan to ${file}; run exactly this plan with: recover apply ${file}\n`]);
  return { dir, file, made };
}

const apply = (file: string) => runCli(["apply", file]);

describe("recover plan --out FILE", () => {
  it("prints the preview and saves the plan with its inputs' digests", () => {
    const { dir, file, made } = savedPlan();
    expect(made.stdout).toMatch(/^recover longhorn-node — dry run/);
    const plan = JSON.parse(readFileSync(file, "utf8")) as Plan;
    expect(plan.kind).toBe("Plan");
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(plan.inputs).toMatchObject({
      recover: version,
      plan: expect.stringMatching(/^[0-9a-f]{64}$/),
      runbooks: expect.arrayContaining([
        { name: "longhorn-node", file: join(ROOT, "runbooks", "longhorn-node.yaml"), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { name: "flux-resume", file: join(ROOT, "runbooks", "flux-resume.yaml"), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ]),
      inventory: { file: join(dir, "recover", "inventory.yaml") },
      gitops: {
        dir,
        head: git(dir, "rev-parse", "HEAD").trim(),
        files: [
          { file: "infrastructure/k3s1-node-config/k3s1-labels.yaml", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
          { file: NODE_CONFIG, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        ],
      },
    });
  });

  it("-o json still prints the Plan itself on stdout (what the engine runs), without the digests", () => {
    const { dir } = gitopsClone();
    const run = runCli(["plan", "longhorn-node", "k3s1", "--gitops", dir, "-o", "json"]);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    expect([plan.kind, plan.inputs]).toEqual(["Plan", undefined]);
    const file = join(dir, "..", "plan.json");
    writeFileSync(file, run.stdout);
    expect(runCli(["apply", file]).stderr).toContain("holds a plan without the digests of its inputs");
  });

  it("does not save a plan the local checks find an error in", () => {
    const { dir } = gitopsClone();
    git(dir, "checkout", "-q", "--detach");
    const file = join(dir, "..", "plan.json");
    const run = runCli(["plan", "longhorn-node", "k3s1", "--gitops", dir, "--out", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`recover: the plan was not saved to ${file}.`);
    expect(existsSync(file)).toBe(false);
  });
});

describe("recover apply FILE", () => {
  it("refuses a plan whose edited file changed, naming it (exit 2)", () => {
    const { dir, file } = savedPlan();
    appendFileSync(join(dir, NODE_CONFIG), "# edited after review\n");
    const run = apply(file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `recover: error: ${file} no longer matches what it was made from, so it is not the plan that was reviewed; nothing was run:\n`,
    );
    expect(run.stderr).toContain(`  GitOps file ${NODE_CONFIG} changed\n`);
    expect(run.stderr).toContain(
      `  hint: make and review a new plan: recover plan longhorn-node -p node=k3s1 -p fstab=/etc/fstab --gitops ${dir} --out ${file}\n`,
    );
  });

  it("refuses a plan whose inventory changed", () => {
    const { dir, file } = savedPlan();
    appendFileSync(join(dir, "recover", "inventory.yaml"), "# edited after review\n");
    const run = apply(file);
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining(`  inventory ${join(dir, "recover", "inventory.yaml")} changed\n`)]);
  });

  it("refuses a plan whose runbook changed, or whose runbook name now finds another file", () => {
    const changed = savedPlan({ runbookInClone: true });
    const copy = join(changed.dir, "recover", "runbooks", "longhorn-node.yaml");
    appendFileSync(copy, "# edited after review\n");
    expect(apply(changed.file).stderr).toContain(`  runbook longhorn-node changed: ${copy}\n`);

    const shadowed = savedPlan();
    mkdirSync(join(shadowed.dir, "recover", "runbooks"));
    const override = join(shadowed.dir, "recover", "runbooks", "longhorn-node.yaml");
    copyFileSync(join(ROOT, "runbooks", "longhorn-node.yaml"), override);
    const run = apply(shadowed.file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `  runbook longhorn-node now resolves to ${override} (was ${join(ROOT, "runbooks", "longhorn-node.yaml")})\n`,
    );
  });

  it("refuses a plan made before the checkout's HEAD moved", () => {
    const { dir, file } = savedPlan();
    writeFileSync(join(dir, "README.md"), "unrelated\n");
    git(dir, "add", "README.md");
    git(dir, "commit", "-q", "-m", "unrelated");
    const run = apply(file);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/ {2}GitOps checkout .*: HEAD is [0-9a-f]{12}, was [0-9a-f]{12}\n/)]);
  });

  it("refuses a plan file edited after it was saved", () => {
    const { file } = savedPlan();
    writeFileSync(file, readFileSync(file, "utf8").replace('"confirm": "sdf1"', '"confirm": "sdg1"'));
    const run = apply(file);
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining("  the plan file was changed after it was saved\n")]);
  });

  it("refuses what is not a saved plan, saying how to make one", () => {
    const { dir } = gitopsClone();
    const file = join(dir, "..", "not-a-plan.json");
    writeFileSync(file, '{"kind": "Runbook"}');
    const run = apply(file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `recover: error: ${file} is not a saved plan (apiVersion recover/v1, kind Plan)\n  hint: save a plan with recover plan RUNBOOK ARGS --out FILE\n`,
    );
  });
});

/** Local steps that log what they do (and their undo) to params.log; the check of stage params.fail fails. */
const LOCAL_STEPS = (log: string) => {
  const step = (id: string, extra = "") => `      - {id: ${id}, local: [sh, -c, 'echo ${id} >> "$0"', "${log}"]${extra}}`;
  const undo = (id: string) => `, undo: {local: [sh, -c, 'echo undo-${id} >> "$0"', "${log}"]}`;
  const check = (stage: string) => `      - {id: check-${stage}, local: [test, "\${{ params.fail }}", "!=", ${stage}]}`;
  return [
    "apiVersion: recover/v1",
    "kind: Runbook",
    "metadata: {name: local-steps}",
    "summary: local steps that log what they do",
    "params:",
    "  fail: {type: string, default: none}",
    "stages:",
    "  - id: a",
    "    checkpoint: false",
    "    steps:",
    step("a1", undo("a1")),
    step("a2"),
    check("a"),
    "  - id: b",
    "    checkpoint: false",
    "    steps:",
    step("b1", undo("b1")),
    step("b2", undo("b2")),
    check("b"),
    "  - id: c",
    "    checkpoint: false",
    "    steps:",
    step("c1", ", always: true"),
    step("c2", `, always: true, when: 'params.fail == "never"'`),
    check("c"),
    step("c3", ", always: true"),
    "",
  ].join("\n");
};

describe("recover apply FILE runs the plan through the engine", () => {
  it("runs an unchanged plan; on a failure in each stage, the undo and always steps run in the order the preview shows", () => {
    const { dir } = gitopsClone();
    const state = mkdtempSync(join(tmpdir(), "recover-apply-state-"));
    onTestFinished(() => rmSync(state, { recursive: true, force: true }));
    mkdirSync(join(dir, "recover", "runbooks"));
    const log = join(dir, "..", "steps.log");
    writeFileSync(join(dir, "recover", "runbooks", "local-steps.yaml"), LOCAL_STEPS(log));
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "local-steps");

    const file = join(dir, "..", "plan.json");
    for (const [index, fail] of ["none", "a", "b", "c"].entries()) {
      writeFileSync(log, "");
      const made = runCli(["plan", "local-steps", "-p", `fail=${fail}`, "--gitops", dir, "--out", file]);
      expect(made.code).toBe(0);
      const applied = runCli(["apply", file, "-o", "plain", "--state-dir", state]);
      const lines = readFileSync(log, "utf8").split("\n").filter(Boolean);
      if (fail === "none") {
        expect([applied.code, lines]).toEqual([0, ["a1", "a2", "b1", "b2", "c1", "c3"]]);
        continue;
      }
      expect(applied.code).toBe(1);
      const plan = JSON.parse(readFileSync(file, "utf8")) as Plan;
      const stageIndex = index - 1;
      // What ran before the check failed: every step of the earlier stages, and this stage's steps above its check.
      const stage = plan.stages[stageIndex]?.steps ?? [];
      const inStage = stage
        .slice(
          0,
          stage.findIndex((s) => s.id === `check-${fail}`),
        )
        .filter((s) => !s.skip)
        .map((s) => s.id);
      const earlier = plan.stages.slice(0, stageIndex).flatMap((s) => s.steps.filter((st) => !st.skip && !st.id.startsWith("check-")));
      const ranBefore = [...earlier.map((s) => s.id), ...inStage];
      const ranInStage = new Set(inStage);
      const { stageUndo, earlierUndo, always } = failureCleanup(plan, stageIndex);
      const cleanup = [...stageUndo, ...earlierUndo].map((s) => `undo-${s.id}`);
      expect(lines).toEqual([...ranBefore, ...cleanup, ...always.filter((s) => !ranInStage.has(s.id)).map((s) => s.id)]);
    }
  });
});
