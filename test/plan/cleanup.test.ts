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

  it("for the shipped runbook: no undo; a failure anywhere runs flux-resume, gated on the point of no return, and says so otherwise", () => {
    const { plan } = fixturePlan();
    const flux = ["flux-system", "infrastructure-storage", "monitoring", "longhorn"];
    const resume = [
      "resume.flux-request",
      "resume.fetch-sources",
      ...[...flux].reverse().map((n) => `resume.resume[${n}]`),
      ...flux.map((n) => `resume.ready[${n}]`),
      ...flux.map((n) => `resume.release[${n}]`),
      "resume.flux-others",
      "resume.flux-not-ready",
      "flux-stays-suspended",
    ];
    for (const [index] of plan.stages.entries()) {
      const { always, stageUndo, earlierUndo } = failureCleanup(plan, index);
      expect([...stageUndo, ...earlierUndo]).toEqual([]);
      if (index < plan.stages.length - 1) expect(ids(always)).toEqual(resume);
    }
    const { always } = failureCleanup(plan, 0);
    for (const step of always.filter((s) => s.id.startsWith("resume.")))
      expect(step.when).toContain(
        "(!has(captures.pastPointOfNoReturn) && !captures.?lateJournal.orValue(false)) || has(captures.finalState)",
      );
    expect(always.at(-1)?.when).toBe(
      "(has(captures.pastPointOfNoReturn) || captures.?lateJournal.orValue(false)) && !has(captures.finalState)",
    );
  });
});
