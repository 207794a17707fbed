// The shipped drill scenarios: each one loads, and every step and stage its faults wait for is one
// the runbook plans (a trigger on a step that does not exist would never fire, silently).
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prepareRun } from "../../src/cli/commands/prepare.js";
import { checkScenarioText, loadScenarioFile, resolveScenarios, scenarioDirs } from "../../src/drill/load.js";
import type { Trigger } from "../../src/drill/scenario.js";
import { formatDiagnostics } from "../../src/source/diagnostics.js";
import { ROOT } from "../helpers/cli.js";

const DRILLS = path.join(ROOT, "fixtures", "drills");
process.env.RECOVER_CACHE = "off";

const runbooks = readdirSync(DRILLS);
const triggersOf = (file: string): Trigger[] => {
  const { scenario } = loadScenarioFile(file);
  return [...scenario.faults, ...scenario.after.flatMap((a) => a.faults)].map((f) => f.at);
};

describe("the shipped drill scenarios", () => {
  it.each(runbooks.flatMap((r) => readdirSync(path.join(DRILLS, r)).map((f) => [r, f] as const)))(
    "%s/%s loads, and its triggers name planned steps and stages",
    (runbook, file) => {
      const loaded = loadScenarioFile(path.join(DRILLS, runbook, file));
      expect(`${loaded.scenario.metadata.name}.yaml`).toBe(file);
      const args = loaded.scenario.args ?? [];
      const plan = prepareRun(runbook, args, { gitops: path.join(ROOT, "fixtures", "gitops"), param: loaded.scenario.params }).plan;
      const stages = new Set(plan.stages.map((s) => s.id));
      const steps = new Set(plan.stages.flatMap((s) => s.steps.map((st) => st.id)));
      for (const t of triggersOf(path.join(DRILLS, runbook, file))) {
        if (typeof t === "object" && "step" in t) expect(steps.has(t.step), `no step ${t.step} in ${runbook}`).toBe(true);
        if (typeof t === "object" && "stage" in t) expect(stages.has(t.stage), `no stage ${t.stage} in ${runbook}`).toBe(true);
      }
    },
  );

  it("ship what the issue lists for longhorn-node", () => {
    const names = readdirSync(path.join(DRILLS, "longhorn-node")).map((f) => f.replace(/\.yaml$/, ""));
    for (const n of [
      "clean",
      "disk-cfg-braces",
      "disk-cfg-empty",
      "parent-unsuspends",
      "disk-busy",
      "sshd-frozen",
      "push-rejected",
      "api-error",
      "api-hang",
      "kill-between-stages",
      "failure-after-ponr",
      "manager-restart",
      "iscsid-down",
      "iscsid-socket",
      "duplicate-disks",
      "disks-syncing",
    ])
      expect(names).toContain(n);
  });

  it("ship a clean drill for flux-suspend, flux-resume and the stuck-* runbooks", () => {
    for (const runbook of ["flux-suspend", "flux-resume", "stuck-finalizers", "stuck-pvc", "stuck-volume-attachment"])
      expect(readdirSync(path.join(DRILLS, runbook))).toContain("clean.yaml");
  });

  it("ship a drill for each Longhorn stuck state stuck-finalizers meets (#1042, #4278)", () => {
    const names = readdirSync(path.join(DRILLS, "stuck-finalizers"));
    for (const n of ["node-cr-1042.yaml", "volume-snapshot-4278.yaml"]) expect(names).toContain(n);
    const node = loadScenarioFile(path.join(DRILLS, "stuck-finalizers", "node-cr-1042.yaml")).scenario;
    // The finalizer must be held before the Node CR is deleted, or longhorn-manager drops it at once.
    const fault = node.setup.findIndex((c) => c.fault === "finalizer-returns");
    const del = node.setup.findIndex((c) => c.kubectl?.includes("nodes.longhorn.io") && c.kubectl.includes("delete"));
    expect(fault).toBeGreaterThanOrEqual(0);
    expect(fault).toBeLessThan(del);
  });

  it("ship the disk-prepare and longhorn-upgrade drills: clean runs and their refusals", () => {
    for (const [runbook, names] of [
      ["disk-prepare", ["clean", "prepared", "disk-busy", "unknown-disk"]],
      ["longhorn-upgrade", ["clean", "downgrade"]],
    ] as const)
      for (const n of names) expect(readdirSync(path.join(DRILLS, runbook))).toContain(`${n}.yaml`);
  });

  it("kill-between-stages kills recover after every stage but the last, then resumes", () => {
    const plan = prepareRun("longhorn-node", ["k3s1"], { gitops: path.join(ROOT, "fixtures", "gitops"), param: [] }).plan;
    const killed = triggersOf(path.join(DRILLS, "longhorn-node", "kill-between-stages.yaml")).map((t) =>
      typeof t === "object" && "stage" in t ? t.stage : "",
    );
    expect(killed).toEqual(plan.stages.slice(0, -1).map((s) => s.id));
  });
});

describe("scenario files", () => {
  it("report every problem at once, with its position", () => {
    const text = `apiVersion: recover/v1
kind: Drill
metadata: {name: Bad_Name}
summary: s
faults:
  - {fault: disk-busy, at: {step: "Wipe"}}
probes:
  - {name: p, kubectl: [get, nodes], ssh: {node: k3s1, sh: "true"}, expect: "true"}
setup:
  - {fault: finalizer-returns, target: k3s2, kubectl: [get, nodes]}
`;
    const { scenario, diagnostics } = checkScenarioText("bad.yaml", text);
    expect(scenario).toBeUndefined();
    const out = formatDiagnostics(diagnostics);
    expect(out).toContain("bad.yaml:3:");
    expect(out).toContain("must be lowercase letters, digits and dashes");
    expect(out).toContain("bad.yaml:6:");
    expect(out).toContain("a probe has exactly one of kubectl, ssh, git");
    expect(out).toContain("bad.yaml:10:");
    expect(out).toContain("a setup command has exactly one of kubectl, ssh, fault");
  });

  it("a scenario is found by name for its runbook, all means every one, a path is read as it is", () => {
    const dirs = scenarioDirs("longhorn-node", DRILLS);
    expect(resolveScenarios([], dirs)).toEqual([path.join(DRILLS, "longhorn-node", "clean.yaml")]);
    expect(resolveScenarios(["all"], dirs).length).toBe(readdirSync(path.join(DRILLS, "longhorn-node")).length);
    expect(() => resolveScenarios(["nope"], dirs)).toThrow(/no drill scenario "nope"/);
    expect(resolveScenarios(["./x/y.yaml"], dirs)).toEqual([path.resolve("x/y.yaml")]);
  });
});
