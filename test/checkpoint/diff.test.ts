import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { planDiffs } from "../../src/checkpoint/diff.js";
import { FIXTURE_GITOPS } from "./git-sandbox.js";
import { recoveryPlan } from "./plans.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function checkout(): string {
  dir = mkdtempSync(join(tmpdir(), "recover-diff-"));
  cpSync(FIXTURE_GITOPS, dir, { recursive: true });
  return dir;
}

describe("planDiffs: what each checkpoint would commit, worked out in memory", () => {
  it("shows each stage's unified diff on top of the stages before it, and writes nothing", () => {
    const repo = checkout();
    const before = readFileSync(join(repo, "clusters/k3s-flux/monitoring.yaml"), "utf8");
    const diffs = planDiffs(recoveryPlan(), repo);
    expect(diffs.map((d) => [d.stageId, d.patches.length, d.problem])).toEqual([
      ["suspend", 3, undefined],
      ["node", 1, undefined],
      ["resume", 1, undefined],
    ]);
    expect(diffs[0]?.patches).toEqual([
      "--- /dev/null\n+++ b/.sourceignore\n@@ -0,0 +1,2 @@\n+# recover's run journals (checkpoints), never applied to the cluster\n+.recover/\n",
      [
        "--- a/clusters/k3s-flux/infrastructure-storage.yaml",
        "+++ b/clusters/k3s-flux/infrastructure-storage.yaml",
        "@@ -6,9 +6,9 @@",
        " spec:",
        "   interval: 10m",
        "   path: ./infrastructure",
        "   prune: true",
        "-  suspend: false",
        "+  suspend: true",
        "   dependsOn:",
        "     - name: infrastructure-core",
        "   sourceRef:",
        "     kind: GitRepository",
        "",
      ].join("\n"),
      [
        "--- a/clusters/k3s-flux/monitoring.yaml",
        "+++ b/clusters/k3s-flux/monitoring.yaml",
        "@@ -11,4 +11,5 @@",
        "     - name: infrastructure-storage",
        "   sourceRef:",
        "     kind: GitRepository",
        "     name: flux-system",
        "+  suspend: true",
        "",
      ].join("\n"),
    ]);
    expect(diffs[2]?.patches[0]).toContain("-  suspend: true\n+  suspend: false\n");
    expect(diffs[1]?.notes).toEqual([".recover/runs/<run id>/journal.jsonl: the run's journal up to this stage (secrets redacted)"]);
    expect(readFileSync(join(repo, "clusters/k3s-flux/monitoring.yaml"), "utf8")).toBe(before);
  });

  it("marks a stage whose edit cannot apply; it shows none of that stage's edits and the next stages go on", () => {
    const repo = checkout();
    const plan = recoveryPlan();
    const stage = plan.stages[0] as (typeof plan.stages)[number];
    const second = stage.steps[1] as (typeof stage.steps)[number];
    second.action = { kind: "edit", file: "clusters/k3s-flux/monitoring.yaml", set: { "spec.path.sub": 1 } };
    const diffs = planDiffs(plan, repo);
    expect(diffs[0]?.problem?.message).toBe(
      'edit step suspend-monitoring: clusters/k3s-flux/monitoring.yaml, spec.path.sub: spec.path is a scalar ("./monitoring"), not a map or list',
    );
    expect(diffs[0]?.patches.map((p) => p.split("\n")[1])).toEqual(["+++ b/.sourceignore"]);
    // Stage 3 sets suspend: false, which the file already says once stage 1's edits are not written.
    expect(diffs[2]?.patches).toEqual([]);
    expect(diffs[1]?.patches).toHaveLength(1);
  });
});
