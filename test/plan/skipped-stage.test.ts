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
