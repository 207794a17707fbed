import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import type { LoadedInventory } from "../../../src/inventory/load.js";
import type { Plan } from "../../../src/plan/types.js";
import { checkoutOnDisk } from "../../../src/preflight/local/checkout-reader.js";
import { gitRunner } from "../../../src/preflight/local/git-runner.js";
import { localPrechecks } from "../../../src/preflight/local/local-prechecks.js";
import { openTransport } from "../../../src/transports/open.js";
import { ROOT } from "../../helpers/cli.js";
import { fixturePlan } from "../../helpers/fixture-plan.js";
import { git, gitopsClone } from "../../helpers/gitops-repo.js";

/** The prechecks of the shipped runbook's plan against a checkout, with git through the real local transport. */
async function precheck(dir: string, made: { plan: Plan; inventory: LoadedInventory } = fixturePlan({ gitops: dir })) {
  const local = openTransport({ kind: "local" });
  onTestFinished(() => local.close());
  return localPrechecks({ ...made, files: checkoutOnDisk(dir), git: gitRunner(local, dir) });
}

const NODE_CONFIG = "infrastructure/k3s1-node-config/k3s1-node.yaml";

describe("local prechecks", () => {
  it("pass for a clone on the inventory's branch with its remote, and give its HEAD", async () => {
    const { dir } = gitopsClone();
    const { findings, head } = await precheck(dir);
    expect(findings).toEqual([]);
    expect(head).toBe(git(dir, "rev-parse", "HEAD").trim());
  });

  it("refuse a directory that is not a Git work tree", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recover-not-git-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(ROOT, "fixtures", "gitops"), dir, { recursive: true });
    const { findings } = await precheck(dir);
    expect(findings).toEqual([
      expect.objectContaining({ level: "error", check: "gitops", message: expect.stringContaining("is not a Git work tree") }),
    ]);
  });

  it("warn, and check no further, for a folder inside another repository (the project's own fixtures/gitops)", async () => {
    const { findings } = await precheck(join(ROOT, "fixtures", "gitops"));
    expect(findings).toEqual([
      expect.objectContaining({
        level: "warning",
        check: "gitops",
        message: expect.stringContaining("is a folder inside the Git repository"),
      }),
    ]);
  });

  it("refuse a detached HEAD", async () => {
    const { dir } = gitopsClone();
    git(dir, "checkout", "-q", "--detach");
    const { findings } = await precheck(dir);
    expect(findings.map((f) => [f.level, f.message])).toEqual([["error", expect.stringContaining("HEAD is detached")]]);
  });

  it("refuse a branch other than the one Flux follows (gitops.branch)", async () => {
    const { dir } = gitopsClone();
    git(dir, "switch", "-q", "-c", "wip");
    const { findings } = await precheck(dir);
    expect(findings).toEqual([
      expect.objectContaining({
        level: "error",
        message: expect.stringContaining("on branch wip, but the inventory's gitops.branch is main"),
      }),
    ]);
  });

  it("refuse a missing remote when checkpoints push, and only warn when they do not", async () => {
    const { dir } = gitopsClone({ remote: false });
    const pushing = await precheck(dir);
    expect(pushing.findings).toEqual([
      expect.objectContaining({
        level: "error",
        message: expect.stringContaining("has no remote named origin"),
        hint: expect.stringContaining("git -C"),
      }),
    ]);
    const made = fixturePlan({ gitops: dir });
    for (const stage of made.plan.stages) if (stage.checkpoint) stage.checkpoint.push = false;
    const quiet = await precheck(dir, made);
    expect(quiet.findings.map((f) => f.level)).toEqual(["warning"]);
  });

  it("refuse an edit of a file that does not exist, once per file, naming every step that needs it", async () => {
    const { dir } = gitopsClone();
    git(dir, "rm", "-q", NODE_CONFIG);
    git(dir, "commit", "-q", "-m", "drop the node config");
    const { findings } = await precheck(dir);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ level: "error", check: "files" });
    expect(findings[0]?.message).toContain(`${NODE_CONFIG} does not exist in the GitOps checkout`);
    expect(findings[0]?.message).toContain("hands-off edits it, node-config edits it, node-config-disk[sdf1] edits it");
    expect(findings[0]?.hint).toMatch(/longhorn-node\.yaml:\d+:\d+/);
  });

  it("accept a file that an earlier step writes, and refuse one an earlier step deletes", async () => {
    const { dir } = gitopsClone();
    const made = fixturePlan({ gitops: dir });
    const steps = made.plan.stages.flatMap((s) => s.steps);
    const first = steps.find((s) => s.id === "node-config");
    if (first?.action.kind !== "edit") throw new Error("node-config is an edit");
    first.action = { kind: "edit", file: "infrastructure/new.yaml", content: "kind: Node\n" };
    const later = steps.find((s) => s.id === "node-config-disk[sdf1]");
    if (later?.action.kind !== "edit") throw new Error("node-config-disk is an edit");
    later.action.file = "infrastructure/new.yaml";
    expect((await precheck(dir, made)).findings).toEqual([]);
    first.action = { kind: "edit", file: NODE_CONFIG, remove: true };
    later.action.file = NODE_CONFIG;
    const removed = await precheck(dir, made);
    expect(removed.findings.map((f) => f.message)).toEqual([
      `${NODE_CONFIG} is deleted by step node-config before: node-config-disk[sdf1] edits it, node-config-disk[sdg1] edits it, node-config-disk[sdh1] edits it`,
    ]);
  });

  it("refuse an edit whose document is not in the file, or whose file is not YAML", async () => {
    const { dir } = gitopsClone();
    const made = fixturePlan({ gitops: dir });
    const edit = made.plan.stages.flatMap((s) => s.steps).find((s) => s.id === "node-config");
    if (edit?.action.kind !== "edit") throw new Error("node-config is an edit");
    edit.action.document = { kind: "Node", name: "k3s9" };
    const wrong = await precheck(dir, made);
    expect(wrong.findings).toEqual([
      expect.objectContaining({
        level: "error",
        check: "edit",
        message: expect.stringMatching(/node-config edits .*: no document with kind Node and name k3s9 \(it holds: Node k3s1\)/),
      }),
    ]);
    edit.action.document = { kind: "Node", name: "k3s1" };
    expect((await precheck(dir, made)).findings).toEqual([]);
    writeFileSync(join(dir, NODE_CONFIG), "spec: [unclosed\n");
    const broken = await precheck(dir, made);
    expect(broken.findings[0]?.message).toContain("it is not valid YAML");
  });

  it("refuse a path a step applies from the checkout when it does not exist", async () => {
    const { dir } = gitopsClone();
    const made = fixturePlan({ gitops: dir });
    const apply = made.plan.stages.flatMap((s) => s.steps).find((s) => s.id === "no-default-disks");
    if (apply?.action.kind !== "kubectl") throw new Error("no-default-disks is kubectl");
    apply.action.argv = ["apply", `--filename=${join(dir, "infrastructure/missing.yaml")}`];
    const { findings } = await precheck(dir, made);
    expect(findings).toEqual([
      expect.objectContaining({ level: "error", message: expect.stringContaining("infrastructure/missing.yaml does not exist") }),
    ]);
    expect(findings[0]?.message).toContain("no-default-disks applies it");
  });

  it("warn about inventory devices without a stable name (/dev/sdX), only those the plan touches", async () => {
    const { dir } = gitopsClone();
    const made = fixturePlan({ gitops: dir });
    const disks = made.inventory.inventory.nodes.k3s1?.disks ?? [];
    const other = made.inventory.inventory.nodes.k3s2?.disks ?? [];
    const { plan } = fixturePlan({ gitops: dir });
    const renamed = JSON.parse(JSON.stringify(plan).replaceAll(disks[1]?.device as string, "/dev/sdg")) as Plan;
    (disks[1] as { device: string }).device = "/dev/sdg";
    (other[0] as { device: string }).device = "/dev/sdb";
    const { findings } = await precheck(dir, { plan: renamed, inventory: made.inventory });
    expect(findings).toEqual([
      expect.objectContaining({
        level: "warning",
        check: "devices",
        message: expect.stringContaining("disk sdg1 of node k3s1 is /dev/sdg"),
      }),
    ]);
  });
});
