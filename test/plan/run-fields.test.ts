import { describe, expect, it } from "vitest";
import { HEADER, planFrom } from "../helpers/plan.js";

describe("fields the engine needs", () => {
  it("foreach parallel: every item needs only what the step needs; the next step needs all of them", () => {
    const plan = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - {id: first, sh: "true"}
      - {id: each, foreach: {in: "['a', 'b', 'c']", parallel: true}, sh: "echo \${{ item }}"}
      - {id: after, sh: "true"}
`,
      { positional: ["k3s1"] },
    );
    const needs = Object.fromEntries(plan.stages[0]?.steps.map((s) => [s.id, s.needs]) ?? []);
    expect(needs).toEqual({
      first: [],
      "each[a]": ["first"],
      "each[b]": ["first"],
      "each[c]": ["first"],
      after: ["each[a]", "each[b]", "each[c]"],
    });
  });

  it("readOnly is kept on sh, kubectl and local steps and refused elsewhere", () => {
    const plan = planFrom(`${HEADER}stages:\n  - id: s\n    steps:\n      - {id: look, sh: "uptime", readOnly: true}\n`, {
      positional: ["k3s1"],
    });
    expect(plan.stages[0]?.steps[0]?.readOnly).toBe(true);
    expect(() =>
      planFrom(`${HEADER}stages:\n  - id: s\n    steps:\n      - {id: nap, wait: 1s, readOnly: true}\n`, { positional: ["k3s1"] }),
    ).toThrow(/problem/);
  });
});
