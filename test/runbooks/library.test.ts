// The shipped runbook library as plans: each runbook validates and plans against the GitOps
// fixture, every step that changes something can tell it is already done (skipIf), and
// longhorn-node keeps the rules the Longhorn and Flux review set (no Node CR delete, no lazy
// unmount, mkfs never asks, Git first, a point of no return before the first wipe).
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prepareRun } from "../../src/cli/commands/prepare.js";
import type { Plan, PlannedStep } from "../../src/plan/types.js";
import { ROOT } from "../helpers/cli.js";

const GITOPS = path.join(ROOT, "fixtures", "gitops");
const ARGS: Record<string, { args: string[]; param?: string[] }> = {
  "longhorn-node": { args: ["k3s1"] },
  preflight: { args: ["k3s1"] },
  "disk-prepare": { args: ["k3s1", "sdf1"] },
  "flux-suspend": { args: ["longhorn-node.k3s1"] },
  "flux-resume": { args: ["longhorn-node.k3s1"] },
  "stuck-finalizers": { args: ["nodes", "k3s1"] },
  "stuck-volume-attachment": { args: ["pvc-1"] },
  "stuck-pvc": { args: ["monitoring/prometheus-db"] },
  "longhorn-upgrade": { args: ["1.9.2"] },
  "longhorn-upgrade-bump": {
    args: [],
    param: [
      "version=1.8.2",
      "from_minor=7",
      "release_file=infrastructure/longhorn/base/helm-release.yaml",
      "release=longhorn-system/longhorn",
    ],
  },
  "longhorn-upgrade-roll": {
    args: [],
    param: ["version=1.8.2", "release_file=infrastructure/longhorn/base/helm-release.yaml", "release=longhorn-system/longhorn"],
  },
};

process.env.RECOVER_CACHE = "off";
const planOf = (name: string): Plan => {
  const spec = ARGS[name] ?? { args: [] };
  return prepareRun(name, spec.args, { gitops: GITOPS, param: spec.param ?? [] }).plan;
};
const steps = (plan: Plan): PlannedStep[] => plan.stages.flatMap((s) => s.steps);
const script = (step: PlannedStep): string =>
  step.action.kind === "sh"
    ? step.action.script
    : step.action.kind === "kubectl" || step.action.kind === "local"
      ? step.action.argv.join(" ")
      : "";
const changes = (step: PlannedStep) => !step.readOnly && ["sh", "kubectl", "local"].includes(step.action.kind);

describe("the runbook library", () => {
  const shipped = readdirSync(path.join(ROOT, "runbooks"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.replace(/\.yaml$/, ""));

  it("ships the runbooks the issue names, each planned here", () => {
    expect(shipped.sort()).toEqual(Object.keys(ARGS).sort());
  });

  it.each(Object.keys(ARGS))("%s: every step that changes something has a skipIf, every destructive step guards", (name) => {
    const plan = planOf(name);
    for (const step of steps(plan).filter(changes))
      expect(step.skipIf, `${name}: ${step.id} changes something without skipIf`).toBeDefined();
    for (const step of steps(plan).filter((s) => s.destructive))
      expect(step.guards.length, `${name}: ${step.id} has no guard`).toBeGreaterThan(0);
  });

  it("longhorn-node: keeps the Node CR, never unmounts lazily, mkfs never asks, udev is waited for briefly, no cfg is written", () => {
    const all = steps(planOf("longhorn-node"));
    const text = all.map(script).join("\n");
    expect(text).not.toMatch(/delete\s+nodes\.longhorn\.io/);
    const commands = text.split("\n").filter((l) => !/^\s*echo /.test(l));
    expect(commands.filter((l) => /\bumount\s+(-\S*l|--lazy)/.test(l))).toEqual([]);
    for (const m of text.matchAll(/mkfs\.(\w+) (\S+)/g)) expect(m[2]).toBe(m[1] === "xfs" ? "-f" : "-F");
    for (const m of text.matchAll(/udevadm settle[^\n]*/g)) expect(m[0]).toContain("--timeout=");
    expect(text).not.toMatch(/>\s*\S*longhorn-disk\.cfg/);
    expect(text).toContain("chattr +i --");
    expect(text).toMatch(/fuser -vm/);
  });

  it("longhorn-node: Git says the safe state in a committed stage before the cluster changes; only stages with edits commit", () => {
    const plan = planOf("longhorn-node");
    const firstChange = plan.stages.findIndex((s) => s.steps.some((st) => changes(st) && st.target !== undefined && !st.skip));
    const safe = plan.stages.findIndex((s) => s.id === "safe-git");
    expect(safe).toBeGreaterThan(-1);
    expect(safe).toBeLessThan(firstChange);
    expect(plan.stages[safe]?.checkpoint?.push).toBe(true);
    for (const stage of plan.stages) {
      const edits = stage.steps.some((st) => st.action.kind === "edit");
      expect(stage.checkpoint !== undefined, `${stage.id}: checkpoint only when it edits Git`).toBe(edits);
    }
  });

  it("longhorn-node: the point of no return comes before the first wipe; past it, Flux is resumed only once Git holds the new disks", () => {
    const all = steps(planOf("longhorn-node"));
    const ponr = all.findIndex((s) => s.id === "point-of-no-return");
    const firstDestructive = all.findIndex((s) => s.destructive);
    expect(ponr).toBeGreaterThan(-1);
    expect(ponr).toBeLessThan(firstDestructive);
    const resumes = all.filter((s) => s.id.startsWith("resume."));
    expect(resumes.length).toBeGreaterThan(0);
    for (const s of resumes) {
      expect(s.always).toBe(true);
      expect(s.when).toContain("(!has(captures.pastPointOfNoReturn) && !captures.?lateJournal.orValue(false)) || has(captures.finalState)");
    }
    expect(all.find((s) => s.id === "flux-stays-suspended")).toMatchObject({ always: true, readOnly: true });
  });

  it("longhorn-node: disk keys come from the new filesystem's UUID, never from a time stamp", () => {
    const all = steps(planOf("longhorn-node"));
    const add = all.filter((s) => s.id.startsWith("add-disk["));
    expect(add).toHaveLength(3);
    for (const s of add) expect(script(s)).toContain("captures.newFs.filter(f, f.name == disk.name)[0].uuid.substring(0, 8)");
    expect(all.some((s) => /date -u \+%Y%m%d/.test(script(s)))).toBe(false);
  });
});
