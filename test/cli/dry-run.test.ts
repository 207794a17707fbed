import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/types.js";
import { ROOT, runCli } from "../helpers/cli.js";

const LAB = ["--gitops", "fixtures/gitops"];

describe("recover longhorn-node k3s1 --dry-run", () => {
  const run = runCli(["longhorn-node", "k3s1", "--dry-run", ...LAB]);

  it("exits 0 and says nothing is executed", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^recover longhorn-node — dry run: nothing is executed/);
  });

  it("shows every stage in order with its checkpoint", () => {
    const stages = [...run.stdout.matchAll(/^Stage (\d)\/7 {2}(\S+)/gm)].map((m) => m[2]);
    expect(stages).toEqual(["preflight", "suspend-flux", "evict", "remove-node", "disks", "reregister", "resume-flux"]);
    expect(run.stdout).toContain(
      'checkpoint git commit "recover longhorn-node k3s1: Re-register the node in Git under new disk keys (stage 6/7)" — infrastructure/k3s1-node-config/k3s1-node.yaml, then push',
    );
  });

  it("prints the exact commands with the inventory's values", () => {
    expect(run.stdout).toContain(
      'kubectl --context k3s-flux -n flux-system patch kustomizations.kustomize.toolkit.fluxcd.io flux-system --type=merge \'-p={"spec":{"suspend":true}}\'',
    );
    expect(run.stdout).toContain("ssh k3s1 (sudo): wipefs -a /dev/disk/by-id/ata-WDC_WD5000AAKX-00ERMA0_WD-WCC2EFA10001");
    expect(run.stdout).toContain('operator must type "sdf1"');
  });

  it("suspends parents first and resumes in reverse", () => {
    const order = (verb: string) => [...run.stdout.matchAll(new RegExp(`${verb}\\[([\\w-]+)\\]`, "g"))].map((m) => m[1]);
    const suspend = [...new Set(order("suspend"))];
    expect(suspend).toEqual(["flux-system", "infrastructure-storage", "monitoring", "longhorn"]);
    expect([...new Set(order("resume"))]).toEqual([...suspend].reverse());
  });
});

describe("recover plan --output json", () => {
  it("gives the Plan itself, every step resolved", () => {
    const run = runCli(["plan", "longhorn-node", "k3s1", "-o", "json", ...LAB]);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    expect(plan.kind).toBe("Plan");
    expect(plan.params).toEqual({ node: "k3s1" });
    expect(plan.targets.node).toEqual({ kind: "ssh", host: "k3s1", become: "sudo" });
    const steps = plan.stages.flatMap((s) => s.steps);
    const wipes = steps.filter((s) => s.origin.step === "wipe");
    expect(wipes.map((s) => s.id)).toEqual(["wipe[sdf1]", "wipe[sdg1]", "wipe[sdh1]"]);
    expect(wipes.every((s) => s.destructive && s.guards.length === 3)).toBe(true);
    const resume = steps.filter((s) => s.origin.step === "resume");
    expect(resume.every((s) => s.always)).toBe(true);
    // No step writes {} into longhorn-disk.cfg (shared/domain/longhorn-flux.md).
    expect(run.stdout).not.toMatch(/echo '?\{\}'? *>.*longhorn-disk\.cfg/);
    expect(steps.find((s) => s.id === "no-disk-cfg[sdf1]")?.action).toEqual({
      kind: "sh",
      script: "rm -f /mnt/longhorn/sdf1/longhorn-disk.cfg",
    });
  });

  it("finds the GitOps checkout from the inventory when only --inventory is given", () => {
    const run = runCli(["plan", "longhorn-node", "k3s1", "-o", "json", "--inventory", "fixtures/gitops/recover/inventory.yaml"]);
    expect(run.code).toBe(0);
    const apply = (JSON.parse(run.stdout) as Plan).stages.flatMap((s) => s.steps).find((s) => s.id === "apply-node-config");
    expect(apply?.action).toEqual({
      kind: "kubectl",
      argv: ["apply", "-f", join(ROOT, "fixtures/gitops/infrastructure/k3s1-node-config/k3s1-node.yaml")],
    });
  });

  it("plans k3s2 with its one disk", () => {
    const run = runCli(["plan", "longhorn-node", "k3s2", "-o", "json", ...LAB]);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    expect(
      plan.stages
        .flatMap((s) => s.steps)
        .filter((s) => s.origin.step === "wipe")
        .map((s) => s.id),
    ).toEqual(["wipe[sdb1]"]);
  });
});

describe("recover graph", () => {
  it("draws mermaid with a subgraph per stage and destructive steps marked", () => {
    const run = runCli(["graph", "longhorn-node", "k3s1", ...LAB]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("flowchart TD");
    expect(run.stdout.match(/^ {2}subgraph /gm)).toHaveLength(7);
    expect(run.stdout).toMatch(/s\d+_wipe_sdf1_\{\{"wipe\[sdf1\] ⚠"\}\}/);
    expect(run.stdout).toContain("class ");
  });

  it("draws dot that graphviz-style tools can read", () => {
    const run = runCli(["graph", "longhorn-node", "k3s1", "--output", "dot", ...LAB]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^digraph "longhorn-node" \{/);
    expect(run.stdout.match(/subgraph cluster_/g)).toHaveLength(7);
    expect(run.stdout.trim().endsWith("}")).toBe(true);
  });
});
