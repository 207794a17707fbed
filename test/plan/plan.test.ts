import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { ValidationError } from "../../src/source/validation-error.js";
import { HEADER, inventoryFrom, planFrom, runbookFrom } from "../helpers/plan.js";

const INVENTORY = inventoryFrom(`apiVersion: recover/v1
kind: Inventory
cluster: {name: lab, context: lab}
nodes:
  k3s1:
    ssh: {host: k3s1}
    disks:
      - {name: a, device: /dev/disk/by-id/a, serial: "x';$(reboot)", mount: /mnt/a}
      - {name: b, device: /dev/disk/by-id/b, serial: SB, size: 1024, mount: /mnt/b}
flux:
  - {kind: Kustomization, name: root}
  - {kind: HelmRelease, name: lh, namespace: longhorn-system, parent: root}
`);

const steps = (p: ReturnType<typeof planFrom>) => p.stages.flatMap((s) => s.steps);

describe("plan", () => {
  it("resolves every argument: sh values shell-quoted, argv values verbatim", () => {
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - id: mount
        foreach: inventory.nodes[params.node].disks
        sh: echo \${{ item.serial }}
      - id: label
        foreach: inventory.nodes[params.node].disks
        kubectl: [label, node, "\${{ params.node }}", "disk=\${{ item.serial }}"]
`,
      { positional: ["k3s1"] },
      { inventory: INVENTORY },
    );
    const [mountA, mountB, labelA] = steps(p);
    expect(mountA?.id).toBe("mount[a]");
    expect(mountA?.action).toEqual({ kind: "sh", script: `echo 'x'"'"';$(reboot)'` });
    expect(mountB?.action).toEqual({ kind: "sh", script: "echo SB" });
    expect(labelA?.action).toEqual({ kind: "kubectl", argv: ["label", "node", "k3s1", "disk=x';$(reboot)"] });
    expect(p.targets.host).toEqual({ kind: "ssh", host: "k3s1" });
  });

  it("chains steps in order by default, and needs: [] runs alongside", () => {
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - {id: a, sh: "true"}
      - {id: b, sh: "true"}
      - {id: c, sh: "true", needs: []}
      - {id: d, sh: "true", needs: [a, c]}
`,
      { positional: ["n1"] },
    );
    expect(steps(p).map((s) => [s.id, s.needs])).toEqual([
      ["a", []],
      ["b", ["a"]],
      ["c", []],
      ["d", ["a", "c"]],
    ]);
  });

  it("orders a stage topologically when needs point forward", () => {
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - {id: late, sh: "true", needs: [early]}
      - {id: early, sh: "true", needs: []}
`,
      { positional: ["n1"] },
    );
    expect(steps(p).map((s) => s.id)).toEqual(["early", "late"]);
  });

  it("sequences foreach items and makes later steps wait for the last one", () => {
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - {id: each, foreach: "['x', 'y', 'z']", sh: "echo \${{ item }}"}
      - {id: after, sh: "true"}
`,
      { positional: ["n1"] },
    );
    expect(steps(p).map((s) => [s.id, s.needs])).toEqual([
      ["each[x]", []],
      ["each[y]", ["each[x]"]],
      ["each[z]", ["each[y]"]],
      ["after", ["each[z]"]],
    ]);
  });

  it("iterates maps as {key, value}, and reverse walks backwards", () => {
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - id: resume
        foreach: {in: inventory.flux, as: obj, key: obj.name, reverse: true}
        kubectl: [-n, "\${{ obj.namespace }}", patch, "\${{ obj.kind }}", "\${{ obj.name }}"]
      - id: labels
        foreach: {in: "{'a': '1', 'b': '2'}", as: l}
        kubectl: [label, node, x, "\${{ l.key }}=\${{ l.value }}"]
`,
      { positional: ["k3s1"] },
      { inventory: INVENTORY },
    );
    expect(steps(p).map((s) => s.id)).toEqual(["resume[lh]", "resume[root]", "labels[a]", "labels[b]"]);
    expect(steps(p)[0]?.action).toEqual({ kind: "kubectl", argv: ["-n", "longhorn-system", "patch", "HelmRelease", "lh"] });
    expect(steps(p)[3]?.action).toEqual({ kind: "kubectl", argv: ["label", "node", "x", "b=2"] });
  });

  it("leaves run-time expressions in place and lists them", () => {
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - {id: read, kubectl: [get, node, x], capture: {as: node, format: json}}
      - id: use
        when: captures.node.spec.unschedulable == true
        sh: echo \${{ captures.node.metadata.name }} \${{ params.node }}
`,
      { positional: ["n1"] },
    );
    const use = steps(p)[1];
    expect(use?.action).toEqual({ kind: "sh", script: "echo ${{ captures.node.metadata.name }} n1" });
    expect(use?.when).toBe("captures.node.spec.unschedulable == true");
    expect(use?.deferred.sort()).toEqual(["captures.node.metadata.name", "captures.node.spec.unschedulable == true"]);
  });

  it("marks steps whose when is false at plan time as skipped, with the reason", () => {
    const p = planFrom(
      `${HEADER}  wipe: {type: bool, default: false}
stages:
  - id: s
    steps:
      - {id: wipe, when: params.wipe, sh: wipefs -a /dev/x, destructive: {confirm: x}}
`,
      { positional: ["n1"] },
    );
    expect(steps(p)[0]?.skip).toBe("when: params.wipe is false");
  });

  it("never puts a secret into the plan", () => {
    const p = planFrom(
      `${HEADER}  token: {type: string, secret: true}
stages:
  - id: s
    steps:
      - {id: login, sh: "login --token \${{ params.token }}"}
`,
      { positional: ["n1"], named: { token: "hunter2" } },
    );
    const text = JSON.stringify(p);
    expect(text).not.toContain("hunter2");
    expect(p.params.token).toBe("<secret>");
    expect(steps(p)[0]?.action).toEqual({ kind: "sh", script: "login --token ${{ params.token }}" });
  });

  it("refuses a resolved value that would smuggle in a template", () => {
    expect(() =>
      planFrom(`${HEADER}stages:\n  - id: s\n    steps:\n      - {id: a, sh: "echo \${{ 'x' + '\${{' }}"}\n`, { positional: ["n1"] }),
    ).toThrow(ValidationError);
  });

  it("keeps the type of a lone expression in edit.set and interpolates keys", () => {
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - id: e
        edit:
          file: nodes/\${{ params.node }}.yaml
          set:
            spec.allowScheduling: \${{ 1 == 1 }}
            'spec.disks["\${{ params.node }}-a"]':
              path: /mnt/\${{ params.node }}
              storageReserved: \${{ 2 * 3 }}
`,
      { positional: ["n1"] },
    );
    expect(steps(p)[0]?.action).toEqual({
      kind: "edit",
      file: "nodes/n1.yaml",
      set: { "spec.allowScheduling": true, 'spec.disks["n1-a"]': { path: "/mnt/n1", storageReserved: 6 } },
    });
    expect(p.stages[0]?.checkpoint?.files).toEqual(["nodes/n1.yaml"]);
  });

  it("inlines a used runbook's steps under the using step's id", () => {
    const sub = runbookFrom(`apiVersion: recover/v1
kind: Runbook
metadata: {name: sub}
summary: sub
params:
  path: {type: string}
targets:
  box: {local: {}}
stages:
  - id: one
    steps:
      - {id: first, sh: "ls \${{ params.path }}"}
  - id: two
    steps:
      - {id: second, sh: "true"}
`);
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - {id: before, sh: "true"}
      - {id: inner, uses: {runbook: sub, with: {path: "/srv/\${{ params.node }}"}}}
      - {id: after, sh: "true"}
`,
      { positional: ["n1"] },
      { runbooks: new Map([["sub", sub]]) },
    );
    expect(steps(p).map((s) => [s.id, s.needs, s.target])).toEqual([
      ["before", [], "host"],
      ["inner.first", ["before"], "inner.box"],
      ["inner.second", ["inner.first"], "inner.box"],
      ["after", ["inner.second"], "host"],
    ]);
    expect(steps(p)[1]?.action).toEqual({ kind: "sh", script: "ls /srv/n1" });
    expect(p.targets["inner.box"]).toEqual({ kind: "local" });
  });

  it("stops with the inventory's nodes when the node is not in it", () => {
    const text = `${HEADER.replace('pattern: "[a-z0-9-]+"', 'pattern: "[a-z0-9-]+", in: inventory.nodes')}stages:
  - id: s
    steps:
      - {id: a, sh: "true"}
`;
    expect(() => planFrom(text, { positional: ["k3s9"] }, { inventory: INVENTORY })).toThrow(
      expect.objectContaining({
        constructor: InputError,
        message: 'param node: "k3s9" is not in inventory.nodes (inventory inventory.yaml)',
        hint: "choose one of: k3s1",
      }),
    );
  });

  it("is pure: the same input gives the same plan", () => {
    const text = `${HEADER}stages:
  - id: s
    steps:
      - id: a
        foreach: inventory.nodes[params.node].disks
        sh: echo \${{ item.name }}
        verify: {sh: "true", expect: "result.exitCode == 0"}
`;
    const one = planFrom(text, { positional: ["k3s1"] }, { inventory: INVENTORY });
    const two = planFrom(text, { positional: ["k3s1"] }, { inventory: INVENTORY });
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
    expect(steps(one)[0]?.verify).toMatchObject({
      intervalMs: 5000,
      timeoutMs: 300000,
      probe: { kind: "sh", script: "true" },
      target: "host",
    });
  });
});
