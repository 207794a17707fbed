import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/types.js";
import { ROOT, runCli } from "../helpers/cli.js";
import { git, gitopsClone } from "../helpers/gitops-repo.js";

const LAB = ["--gitops", "fixtures/gitops"];

describe("recover longhorn-node k3s1 --dry-run", () => {
  const run = runCli(["longhorn-node", "k3s1", "--dry-run", ...LAB]);
  // Whole lines, for the assertions on exact commands.
  const wide = runCli(["longhorn-node", "k3s1", "--dry-run", "--wide", ...LAB]);

  it("exits 0, says nothing is executed, and warns that fixtures/gitops is a folder of this repository, not a clone", () => {
    expect(run.stderr).toBe(
      "recover: warning: fixtures/gitops is a folder inside the Git repository " +
        `${ROOT.replace(/\/$/, "")}, not a checkout of its own: checkpoints would commit to that repository; its branch and remote were not checked\n` +
        "  hint: for a real run, pass --gitops with a clone of your GitOps repository\n",
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^recover longhorn-node — dry run: nothing is executed/);
  });

  it("fits 120 columns when stdout is not a terminal, --width N columns, and --wide keeps every line whole", () => {
    const widest = (text: string) => Math.max(...text.split("\n").map((l) => [...l].length));
    expect(widest(run.stdout)).toBeLessThanOrEqual(120);
    expect(widest(runCli(["longhorn-node", "k3s1", "--dry-run", "--width", "80", ...LAB]).stdout)).toBeLessThanOrEqual(80);
    expect(widest(wide.stdout)).toBeGreaterThan(120);
    const bad = runCli(["longhorn-node", "k3s1", "--dry-run", "--width", "wide", ...LAB]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--width "wide" is not a number of columns')]);
  });

  it("shows every stage in order with its checkpoint", () => {
    const stages = [...run.stdout.matchAll(/^Stage (\d+)\/10 {2}(\S+)/gm)].map((m) => m[2]);
    expect(stages).toEqual([
      "look",
      "preflight",
      "safe-git",
      "hold",
      "evict",
      "disks",
      "register",
      "final-git",
      "node-labels",
      "resume-flux",
    ]);
    expect(wide.stdout).toContain(
      'checkpoint git commit "recover longhorn-node k3s1: the new disks, under keys from their filesystem UUIDs" — infrastructure/k3s1-node-config/k3s1-node.yaml, infrastructure/k3s1-node-config/k3s1-labels.yaml, then push',
    );
  });

  it("prints the exact commands with the inventory's values", () => {
    expect(wide.stdout).toContain(
      'kubectl --context k3s-flux --namespace=flux-system patch kustomizations.kustomize.toolkit.fluxcd.io flux-system --type=merge \'--patch={"spec":{"suspend":true},"metadata":{"annotations":{"recover/suspended-by":"longhorn-node.k3s1"}}}\'',
    );
    expect(wide.stdout).toContain("ssh k3s1 (sudo): dev=$(readlink -f -- /dev/disk/by-id/ata-WDC_WD5000AAKX-00ERMA0_WD-WCC2EFA10001)");
    expect(wide.stdout).toContain('if ! wipefs -a -- "$p"; then');
    expect(wide.stdout).toContain('operator must type "sdf1"');
    expect(wide.stdout).toContain("where   disk.size = 500107862016 bytes (465.8 GiB) (inventory disk sdf1)");
    expect(wide.stdout).toContain('        disk.serial = "WD-WCC2EFA10001" (inventory disk sdf1)');
  });

  it("suspends parents first and resumes in reverse", () => {
    const order = (verb: string) => [...run.stdout.matchAll(new RegExp(`${verb}\\[([\\w-]+)\\]`, "g"))].map((m) => m[1]);
    const suspend = [...new Set(order("suspend\\.suspend-(?:top|child)"))];
    expect(suspend).toEqual(["flux-system", "infrastructure-storage", "monitoring", "longhorn"]);
    expect([...new Set(order("resume\\.resume"))]).toEqual([...suspend].reverse());
  });
});

describe("recover plan --output json", () => {
  it("gives the Plan itself, every step resolved", () => {
    const run = runCli(["plan", "longhorn-node", "k3s1", "-o", "json", ...LAB]);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    expect(plan.kind).toBe("Plan");
    expect(plan.params).toEqual({ node: "k3s1", fstab: "/etc/fstab" });
    expect(plan.targets.node).toEqual({ kind: "ssh", host: "k3s1", become: "sudo" });
    const steps = plan.stages.flatMap((s) => s.steps);
    const wipes = steps.filter((s) => s.origin.step === "wipe");
    expect(wipes.map((s) => s.id)).toEqual(["prepare[sdf1].wipe[sdf1]", "prepare[sdg1].wipe[sdg1]", "prepare[sdh1].wipe[sdh1]"]);
    expect(wipes.every((s) => s.destructive && s.guards.length === 3)).toBe(true);
    const resume = steps.filter((s) => s.origin.step === "resume");
    expect(resume.every((s) => s.always)).toBe(true);
    // No step writes {} into longhorn-disk.cfg (shared/domain/longhorn-flux.md).
    expect(run.stdout).not.toMatch(/echo '?\{\}'? *>.*longhorn-disk\.cfg/);
    expect(steps.find((s) => s.id === "prepare[sdf1].no-bad-cfg[sdf1]")?.action).toEqual({
      kind: "sh",
      script: "rm -f -- /mnt/longhorn/sdf1/longhorn-disk.cfg",
    });
  });

  it("finds the GitOps checkout from the inventory when only --inventory is given", () => {
    const run = runCli(["plan", "longhorn-node", "k3s1", "-o", "json", "--inventory", "fixtures/gitops/recover/inventory.yaml"]);
    expect(run.code).toBe(0);
    const head = (JSON.parse(run.stdout) as Plan).stages.flatMap((s) => s.steps).find((s) => s.id === "git-final");
    expect(head?.action).toEqual({ kind: "local", argv: ["git", "-C", join(ROOT, "fixtures/gitops"), "rev-parse", "HEAD"] });
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
    ).toEqual(["prepare[sdb1].wipe[sdb1]"]);
  });
});

describe("recover graph", () => {
  it("draws mermaid with a subgraph per stage and destructive steps marked", () => {
    const run = runCli(["graph", "longhorn-node", "k3s1", ...LAB]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("flowchart TD");
    expect(run.stdout.match(/^ {2}subgraph /gm)).toHaveLength(10);
    expect(run.stdout).toMatch(/s\d+_prepare_sdf1__wipe_sdf1_\{\{"prepare\[sdf1\]\.wipe\[sdf1\] ⚠"\}\}/);
    expect(run.stdout).toContain("class ");
  });

  it("draws dot that graphviz-style tools can read", () => {
    const run = runCli(["graph", "longhorn-node", "k3s1", "--output", "dot", ...LAB]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^digraph "longhorn-node" \{/);
    expect(run.stdout.match(/subgraph cluster_/g)).toHaveLength(10);
    expect(run.stdout.trim().endsWith("}")).toBe(true);
  });
});

describe("the dry-run against a clone of the GitOps repository", () => {
  it("passes the local checks: exit 0, nothing on stderr", () => {
    const { dir } = gitopsClone();
    const run = runCli(["longhorn-node", "k3s1", "--dry-run", "--gitops", dir]);
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toContain(`  git        2 commits in ${dir} on main`);
  });

  it("exits 2 when the checkout is on another branch than Flux follows, still printing the preview", () => {
    const { dir } = gitopsClone();
    git(dir, "switch", "-q", "-c", "wip");
    const run = runCli(["longhorn-node", "k3s1", "--dry-run", "--gitops", dir]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^recover longhorn-node — dry run/);
    expect(run.stderr).toContain("is on branch wip, but the inventory's gitops.branch is main");
  });

  it("exits 2 naming a used runbook that does not resolve", () => {
    const { dir } = gitopsClone();
    mkdirSync(join(dir, "recover", "runbooks"));
    writeFileSync(
      join(dir, "recover", "runbooks", "outer.yaml"),
      "apiVersion: recover/v1\nkind: Runbook\nmetadata: {name: outer}\nsummary: uses a runbook that is not there\nstages:\n  - id: s\n    steps:\n      - {id: inner, uses: {runbook: nowhere}}\n",
    );
    const run = runCli(["outer", "--dry-run", "--gitops", dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/outer\.yaml:8:\d+: error: .*nowhere/);
  });
});
