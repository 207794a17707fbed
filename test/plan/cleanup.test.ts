import { describe, expect, it } from "vitest";
import { cleanupAfterStop, failureCleanup } from "../../src/plan/cleanup.js";
import { fixturePlan } from "../helpers/fixture-plan.js";
import { HEADER, planFrom } from "../helpers/plan.js";

const ids = (steps: { id: string }[]) => steps.map((s) => s.id);

const PLAN = planFrom(
  `${HEADER}stages:
  - id: one
    steps:
      - {id: a, sh: "true", undo: {sh: "undo a"}, capture: {as: x}}
      - {id: b, sh: "true"}
      - {id: c, sh: "true", undo: {sh: "undo c"}}
  - id: two
    steps:
      - {id: d, sh: "true", undo: {sh: "undo d"}}
      - {id: e, sh: "true", always: true}
      - {id: f, sh: "true", undo: {sh: "undo f"}}
  - id: three
    steps:
      - {id: g, sh: "true", always: true, when: 'params.node == "nowhere"'}
      - {id: h, sh: "true", always: true, when: "captures.x != ''"}
      - {id: i, sh: "true", always: true}
`,
  { positional: ["n1"] },
);

describe("cleanupAfterStop (the engine's rule)", () => {
  it("undoes completed steps most recent first, then runs the always steps that have not settled, in plan order", () => {
    const cleanup = cleanupAfterStop(PLAN, ["a", "c", "b", "d"], new Set(["a", "b", "c", "d"]));
    expect(ids(cleanup.undo)).toEqual(["d", "c", "a"]);
    // g is skipped at plan time (its when is false); h still runs subject to its when.
    expect(ids(cleanup.always)).toEqual(["e", "h", "i"]);
    expect(cleanup.always.find((s) => s.id === "h")?.when).toBe("captures.x != ''");
  });

  it("does not run an always step again once it succeeded or was skipped", () => {
    const cleanup = cleanupAfterStop(PLAN, ["a", "e"], new Set(["a", "e", "i"]));
    expect(ids(cleanup.always)).toEqual(["h"]);
  });
});

describe("failureCleanup (the preview's view of a failure in a stage)", () => {
  it("splits the undo into this stage's (if completed) and the earlier stages', and lists the always steps left", () => {
    expect(failureCleanup(PLAN, 0)).toMatchObject({
      stageUndo: [{ id: "c" }, { id: "a" }],
      earlierUndo: [],
      always: [{ id: "e" }, { id: "h" }, { id: "i" }],
    });
    const second = failureCleanup(PLAN, 1);
    expect([ids(second.stageUndo), ids(second.earlierUndo), ids(second.always)]).toEqual([
      ["f", "d"],
      ["c", "a"],
      ["e", "h", "i"],
    ]);
    const third = failureCleanup(PLAN, 2);
    expect([ids(third.stageUndo), ids(third.earlierUndo), ids(third.always)]).toEqual([[], ["f", "d", "c", "a"], ["h", "i"]]);
  });

  it("for the shipped runbook, resumes Flux whatever stage fails, after undoing the suspends children first", () => {
    const { plan } = fixturePlan();
    const resume = ["longhorn", "monitoring", "infrastructure-storage", "flux-system"];
    for (const [index] of plan.stages.entries()) {
      const { always } = failureCleanup(plan, index);
      expect(ids(always)).toEqual([...resume.map((n) => `resume[${n}]`), ...resume.map((n) => `reconcile[${n}]`)]);
    }
    const disks = failureCleanup(
      plan,
      plan.stages.findIndex((s) => s.id === "disks"),
    );
    expect(ids(disks.stageUndo)).toEqual(["fstab[sdh1]", "fstab[sdg1]", "fstab[sdf1]"]);
    expect(ids(disks.earlierUndo)).toEqual(["request-eviction", "disable-scheduling", ...resume.map((n) => `suspend[${n}]`)]);
  });
});
