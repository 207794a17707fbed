import { describe, expect, it } from "vitest";
import { HEADER, planFrom } from "../helpers/plan.js";

describe("a stage every step of which is skipped when planning", () => {
  it("has no checkpoint: nothing would be committed but the journal", () => {
    const p = planFrom(
      `${HEADER}stages:
  - id: hop
    steps:
      - {id: a, when: "params.node == 'other'", sh: "true"}
  - id: work
    steps:
      - {id: b, sh: "true"}
`,
      { positional: ["k3s1"] },
    );
    expect(p.stages.map((s) => [s.id, s.checkpoint !== undefined])).toEqual([
      ["hop", false],
      ["work", true],
    ]);
  });
});

describe("a stage with checkpoint: false", () => {
  it("refuses an edit a used runbook brings into it, which would never be committed", async () => {
    const { runbookFrom } = await import("../helpers/plan.js");
    const { ValidationError } = await import("../../src/source/validation-error.js");
    const sub = runbookFrom(`apiVersion: recover/v1
kind: Runbook
metadata: {name: sub}
summary: sub
stages:
  - id: one
    steps:
      - {id: e, edit: {file: a.yaml, set: {x: 1}}}
`);
    let error: unknown;
    try {
      planFrom(
        `${HEADER}stages:\n  - id: s\n    checkpoint: false\n    steps:\n      - {id: inner, uses: {runbook: sub}}\n`,
        { positional: ["k3s1"] },
        { runbooks: new Map([["sub", sub]]) },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as InstanceType<typeof ValidationError>).diagnostics[0]?.message).toBe(
      "stage s has checkpoint: false, but edits Git (inner.e, from a used runbook): the edit would never be committed",
    );
  });
});
