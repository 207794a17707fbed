import { describe, expect, it } from "vitest";
import { type PlanInputs, verifyPlanInputs } from "../../src/plan/inputs.js";

const SAVED: PlanInputs = {
  recover: "0.1.0",
  plan: "p1",
  runbooks: [
    { name: "longhorn-node", file: "/r/longhorn-node.yaml", sha256: "r1" },
    { name: "disk-prep", file: "/r/disk-prep.yaml", sha256: "d1" },
  ],
  inventory: { file: "/g/recover/inventory.yaml", sha256: "i1" },
  gitops: {
    dir: "/g",
    head: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    files: [
      { file: "infrastructure/k3s1-node.yaml", sha256: "f1" },
      { file: "infrastructure/new.yaml", sha256: null },
    ],
  },
};

const copy = (): PlanInputs => structuredClone(SAVED);

describe("verifyPlanInputs", () => {
  it("finds nothing when every input is as it was", () => {
    expect(verifyPlanInputs(SAVED, copy())).toEqual([]);
  });

  it("names each change exactly", () => {
    const now = copy();
    now.recover = "0.2.0";
    now.plan = "p2";
    (now.runbooks[0] as { sha256: string }).sha256 = "r2";
    now.runbooks[1] = { name: "disk-prep", file: "/g/recover/runbooks/disk-prep.yaml", sha256: "d9" };
    (now.inventory as { sha256: string }).sha256 = "i2";
    const gitops = now.gitops as NonNullable<PlanInputs["gitops"]>;
    gitops.head = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    gitops.files = [
      { file: "infrastructure/k3s1-node.yaml", sha256: null },
      { file: "infrastructure/new.yaml", sha256: "n1" },
    ];
    expect(verifyPlanInputs(SAVED, now)).toEqual([
      "the plan file was changed after it was saved",
      "recover is version 0.2.0; the plan was made by 0.1.0",
      "runbook longhorn-node changed: /r/longhorn-node.yaml",
      "runbook disk-prep now resolves to /g/recover/runbooks/disk-prep.yaml (was /r/disk-prep.yaml)",
      "inventory /g/recover/inventory.yaml changed",
      "GitOps checkout /g: HEAD is bbbbbbbbbbbb, was aaaaaaaaaaaa",
      "GitOps file infrastructure/k3s1-node.yaml no longer exists",
      "GitOps file infrastructure/new.yaml exists now; it did not when the plan was made",
    ]);
  });

  it("names a runbook that is gone and an inventory that is no longer given", () => {
    const now = copy();
    now.runbooks[1] = { name: "disk-prep", file: "", sha256: null };
    delete now.inventory;
    expect(verifyPlanInputs(SAVED, now)).toEqual([
      "runbook disk-prep: /r/disk-prep.yaml is gone",
      "no inventory is given now; the plan was made with /g/recover/inventory.yaml",
    ]);
  });
});
