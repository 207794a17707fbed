import { describe, expect, it } from "vitest";
import type { PlannedStep } from "../../src/plan/types.js";
import { HEADER, inventoryFrom, planFrom, runbookFrom } from "../helpers/plan.js";

const INVENTORY = inventoryFrom(`apiVersion: recover/v1
kind: Inventory
cluster: {name: lab, context: lab}
nodes:
  n1:
    ssh: {host: n1}
    disks:
      - {name: a, device: /dev/disk/by-id/a, serial: SA, size: 1073741824, mount: /mnt/a}
      - {name: b, device: /dev/disk/by-id/b, size: 2048, mount: /mnt/b}
`);

const steps = (p: ReturnType<typeof planFrom>): PlannedStep[] => p.stages.flatMap((s) => s.steps);

describe("known values of a check", () => {
  it("resolves params, inventory and the foreach item, says where each comes from, and skips a macro's variable", () => {
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - id: check
        foreach: {in: "inventory.nodes[params.node].disks", as: disk}
        sh: lsblk \${{ disk.device }}
        guard:
          - sh: lsblk -dn -o SERIAL,SIZE \${{ disk.device }}
            expect: >-
              result.stdout.contains(disk.serial) && size(inventory.nodes[params.node].disks) == 2 &&
              result.stdout.split(" ").exists(w, w == string(disk.size)) && result.json.all(disk, has(disk.ok))
`,
      { positional: ["n1"] },
      { inventory: INVENTORY },
    );
    expect(steps(p)[0]?.guards[0]?.known).toEqual([
      { path: "disk.serial", source: "inventory disk a", value: "SA" },
      { path: "inventory.nodes[params.node].disks", source: "inventory", value: INVENTORY.inventory.nodes.n1?.disks },
      { path: "params.node", source: "param", value: "n1" },
      { path: "disk.size", source: "inventory disk a", value: 1073741824 },
    ]);
    // Disk b has no serial: the reviewer must see the comparison has nothing to compare with.
    expect(steps(p)[1]?.guards[0]?.known?.[0]).toEqual({ path: "disk.serial", source: "inventory disk b", missing: true });
  });

  it("marks captures and secret params as run-time values and never holds a secret", () => {
    const p = planFrom(
      `${HEADER}  token: {type: string, secret: true}
stages:
  - id: s
    steps:
      - {id: read, sh: "cat /x", capture: {as: x}}
      - id: use
        when: captures.x != ""
        sh: "true"
        verify: {sh: "true", expect: 'result.stdout == params.token && captures.x == params.node'}
`,
      { positional: ["n1"], named: { token: "hunter2" } },
    );
    const use = steps(p)[1];
    expect(use?.whenKnown).toEqual([{ path: "captures.x", runtime: "capture" }]);
    expect(use?.verify?.known).toEqual([
      { path: "params.token", runtime: "secret" },
      { path: "captures.x", runtime: "capture" },
      { path: "params.node", source: "param", value: "n1" },
    ]);
    expect(JSON.stringify(p)).not.toContain("hunter2");
  });

  it("resolves a used runbook's params with its own values", () => {
    const sub = runbookFrom(`apiVersion: recover/v1
kind: Runbook
metadata: {name: sub}
summary: sub
params:
  node: {type: string}
targets:
  box: {local: {}}
stages:
  - id: one
    steps:
      - id: first
        sh: "true"
        guard: [{sh: "true", expect: 'result.stdout.split(",").exists(node, node == params.node)'}]
`);
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - {id: inner, uses: {runbook: sub, with: {node: "inner-\${{ params.node }}"}}}
`,
      { positional: ["n1"] },
      { runbooks: new Map([["sub", sub]]) },
    );
    expect(steps(p)[0]?.guards[0]?.known).toEqual([{ path: "params.node", source: "param", value: "inner-n1" }]);
  });
});
