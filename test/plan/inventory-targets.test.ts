import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inventoryTargets } from "../../src/plan/inventory-targets.js";
import { describeAction } from "../../src/preview/describe.js";
import { KubectlTransport } from "../../src/transports/kubectl.js";
import { shellQuote } from "../../src/util/shell-quote.js";
import { HEADER, inventoryFrom, planFrom } from "../helpers/plan.js";

const INVENTORY = `apiVersion: recover/v1
kind: Inventory
cluster: {name: lab, context: lab-ctx, kubeconfig: ../kube/config}
nodes:
  k3s1: {ssh: {host: k3s1, user: operator, port: 2201}}
  k3s2: {ssh: {host: k3s2}}
`;
const inventory = inventoryFrom(INVENTORY, "/srv/gitops/recover/inventory.yaml");

const RUNBOOK = `apiVersion: recover/v1
kind: Runbook
metadata: {name: t}
summary: test
params:
  node: {type: string, positional: true}
targets:
  node: {ssh: {host: "\${{ inventory.nodes[params.node].ssh.host }}", become: sudo}}
  cluster: {kubectl: {}}
stages:
  - id: s
    steps:
      - {id: a, on: node, sh: "true"}
      - {id: b, kubectl: [get, nodes.longhorn.io, -n, longhorn-system, "\${{ params.node }}"]}
`;

describe("targets carry what the inventory says about reaching them", () => {
  it("the plan's ssh target gets the node's user and port, the kubectl target the cluster's context and kubeconfig", () => {
    const plan = planFrom(RUNBOOK, { positional: ["k3s1"] }, { inventory });
    expect(plan.targets.node).toEqual({ kind: "ssh", host: "k3s1", user: "operator", port: 2201, become: "sudo" });
    expect(plan.targets.cluster).toEqual({ kind: "kubectl", context: "lab-ctx", kubeconfig: "/srv/gitops/kube/config" });
  });

  it("what the runbook says itself wins over the inventory", () => {
    const plan = planFrom(
      `${HEADER}stages:\n  - id: s\n    steps:\n      - {id: a, on: cluster, kubectl: [version]}\n`,
      { positional: ["k3s1"] },
      { inventory },
    );
    expect(plan.targets.cluster).toEqual({ kind: "kubectl", context: "lab", kubeconfig: "/srv/gitops/kube/config" });
  });

  it("recover check builds the same targets as the plan of a runbook for that node", () => {
    const plan = planFrom(RUNBOOK, { positional: ["k3s1"] }, { inventory });
    const checked = inventoryTargets(inventory, ["k3s1"]);
    expect(checked.nodes.get("k3s1")).toEqual(plan.targets.node);
    expect(checked.cluster).toEqual(plan.targets.cluster);
  });
});

describe("the dry-run shows the command the kubectl transport runs, byte for byte", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "recover-parity-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("preview line == kubectl's real argv, quoted the same way", async () => {
    // A stand-in kubectl binary that prints the argv it was started with, one word per line.
    const fake = path.join(dir, "kubectl");
    writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
    chmodSync(fake, 0o755);
    const plan = planFrom(RUNBOOK, { positional: ["k3s1"] }, { inventory });
    const step = plan.stages[0]?.steps.find((s) => s.id === "b");
    if (step?.action.kind !== "kubectl") throw new Error("step b is a kubectl step");
    const target = plan.targets.cluster;
    if (target?.kind !== "kubectl") throw new Error("cluster is a kubectl target");
    const transport = new KubectlTransport({ ...target, binary: fake });
    const result = await transport.exec({ command: { argv: step.action.argv } });
    const ran = ["kubectl", ...result.stdout.trimEnd().split("\n")].map(shellQuote).join(" ");
    expect(describeAction(step.action, plan, step.target)).toEqual([ran]);
  });
});
