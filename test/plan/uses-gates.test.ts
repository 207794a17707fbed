// A `uses` step's run-time `when` and `always` reach every step it inlines, and a used runbook's
// run-time expressions read its own params (longhorn-node uses flux-resume this way).
import { describe, expect, it } from "vitest";
import { runPlan } from "../../src/engine/run-plan.js";
import type { PlannedStep } from "../../src/plan/types.js";
import { ValidationError } from "../../src/source/validation-error.js";
import { harness, options, statesOf } from "../engine/scripted.js";
import { HEADER, planFrom, runbookFrom } from "../helpers/plan.js";

const sub = () =>
  runbookFrom(`apiVersion: recover/v1
kind: Runbook
metadata: {name: sub}
summary: sub
params:
  scope: {type: string}
targets:
  host: {ssh: {host: h}}
stages:
  - id: one
    steps:
      - {id: read, sh: "echo \${{ params.scope }}", capture: {as: subSeen}}
      - id: act
        when: captures.subSeen == params.scope
        sh: "act"
        verify: {sh: "probe", expect: "result.stdout == params.scope"}
`);

const caller = (gate: string) => `${HEADER}stages:
  - id: s
    checkpoint: false
    steps:
      - {id: mark, sh: "mark", capture: {as: marked}}
      - id: inner
        ${gate}
        uses: {runbook: sub, with: {scope: "for-\${{ params.node }}"}}
`;

const steps = (p: { stages: { steps: PlannedStep[] }[] }) => p.stages.flatMap((s) => s.steps);

describe("uses: gates and params of the inlined steps", () => {
  it("a run-time when and always on the uses step apply to every inlined step, and inlined steps carry their runbook's params", () => {
    const p = planFrom(
      caller("when: captures.marked == 'go'\n        always: true"),
      { positional: ["n1"] },
      { runbooks: new Map([["sub", sub()]]) },
    );
    const [read, act] = steps(p).slice(1);
    expect(read).toMatchObject({ id: "inner.read", when: "captures.marked == 'go'", always: true, params: { scope: "for-n1" } });
    expect(act).toMatchObject({ id: "inner.act", when: "(captures.marked == 'go') && (captures.subSeen == params.scope)", always: true });
  });

  it("the engine evaluates an inlined step's run-time expressions with the used runbook's params", async () => {
    const p = planFrom(caller(""), { positional: ["n1"] }, { runbooks: new Map([["sub", sub()]]) });
    const { deps, log } = harness((cmd) => (cmd === "echo for-n1" || cmd === "probe" ? { stdout: "for-n1" } : {}));
    const result = await runPlan(p, deps, options({ context: { params: { node: "n1" }, inventory: {}, repo: { dir: "." } } }));
    expect(result).toMatchObject({ outcome: "done", exitCode: 0 });
    expect(log).toEqual(["host: mark", "inner.host: echo for-n1", "inner.host: act", "inner.host: probe"]);
  });

  it("a uses step's run-time when that reads more than captures is refused when planning", () => {
    let error: unknown;
    try {
      planFrom(caller("when: captures.marked == params.node"), { positional: ["n1"] }, { runbooks: new Map([["sub", sub()]]) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).diagnostics.map((d) => d.message)).toEqual([
      "a uses step's when is decided at run time for each step it inlines, so it may read only captures (it reads params)",
    ]);
  });

  it("when false at run time skips every inlined step; a resumed run decides an always step skipped by the cleanup again", async () => {
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    checkpoint: false
    steps:
      - {id: mark, sh: "mark", capture: {as: marked}}
      - {id: work, sh: "work"}
      - id: inner
        when: captures.marked == 'go'
        always: true
        uses: {runbook: sub, with: {scope: x}}
`,
      { positional: ["n1"] },
      { runbooks: new Map([["sub", sub()]]) },
    );
    // First run: the work fails; in the cleanup the always steps are skipped, since mark said "stop".
    const first = harness((cmd) => (cmd === "mark" ? { stdout: "stop" } : cmd === "work" ? { exitCode: 1 } : {}));
    expect((await runPlan(p, first.deps, options())).exitCode).toBe(1);
    expect(statesOf(first.events, "inner.read")).toEqual(["skipped"]);
    // Resumed with mark's capture now "go" (as after a repaired state): the skipped always steps run in their place.
    const { replay } = await import("../../src/engine/run-state.js");
    const state = replay(first.events);
    const goState = { ...state, captures: { ...state.captures, mark: { as: "marked", value: "go" } } };
    const again = harness((cmd) => (cmd === "echo x" || cmd === "probe" ? { stdout: "x" } : {}));
    const resumed = await runPlan(p, again.deps, options({ resume: goState }));
    expect(resumed.exitCode).toBe(0);
    expect(again.log).toEqual(["host: work", "inner.host: echo x", "inner.host: act", "inner.host: probe"]);
  });

  it("a resumed run does again, in their place, the always steps the cleanup of the stopped run did", async () => {
    // longhorn-node: the push of the safe state is refused, the cleanup resumes Flux (nothing to do);
    // the resumed run suspends Flux again, so its always flux-resume must run again at the end.
    const p = planFrom(
      `${HEADER}stages:
  - id: s
    checkpoint: false
    steps:
      - {id: work, sh: "work"}
      - id: inner
        needs: [work]
        always: true
        uses: {runbook: sub, with: {scope: x}}
`,
      { positional: ["n1"] },
      { runbooks: new Map([["sub", sub()]]) },
    );
    const answers = (fail: boolean) => (cmd: string) =>
      cmd === "work" && fail ? { exitCode: 1 } : cmd === "echo x" || cmd === "probe" ? { stdout: "x" } : {};
    const first = harness(answers(true));
    expect((await runPlan(p, first.deps, options())).exitCode).toBe(1);
    expect(first.log).toEqual(["host: work", "inner.host: echo x", "inner.host: act", "inner.host: probe"]);
    const { replay } = await import("../../src/engine/run-state.js");
    const again = harness(answers(false));
    const resumed = await runPlan(p, again.deps, options({ resume: replay(first.events) }));
    expect(resumed.exitCode).toBe(0);
    expect(again.log).toEqual(["host: work", "inner.host: echo x", "inner.host: act", "inner.host: probe"]);
  });
});
