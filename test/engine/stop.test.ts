import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/events.js";
import { runPlan } from "../../src/engine/run-plan.js";
import { replay } from "../../src/engine/run-state.js";
import { StepState } from "../../src/engine/step-state.js";
import { HEADER, planFrom } from "../helpers/plan.js";
import { harness, options } from "./scripted.js";

const plan = () =>
  planFrom(
    `${HEADER}stages:
  - id: s
    checkpoint: false
    steps:
      - {id: a, sh: "do a", undo: {sh: "undo a"}}
      - {id: b, sh: "do b", undo: {sh: "undo b"}}
      - {id: c, sh: "do c"}
      - {id: resume, sh: "resume", always: true}
`,
    { positional: ["k3s1"] },
  );

describe("stopping", () => {
  it("a second Ctrl-C abandons the cleanup and says exactly what was left undone", async () => {
    const interrupt = new AbortController();
    const abandon = new AbortController();
    const { deps, log } = harness(async (cmd, request) => {
      if (cmd === "do c") interrupt.abort();
      if (cmd === "undo b") {
        abandon.abort();
        // The undo is ended by the abandon (as a transport ends the remote command).
        expect(request.signal?.aborted).toBe(true);
        return { exitCode: null, signal: "SIGTERM" };
      }
      return {};
    });
    const result = await runPlan(plan(), deps, options({ interrupt: interrupt.signal, abandon: abandon.signal }));
    expect(result).toMatchObject({ outcome: "interrupted", exitCode: 130 });
    expect(result.leftUndone).toEqual(["undo of a", "resume"]);
    expect(log).toEqual(["host: do a", "host: do b", "host: do c", "host: undo b"]);
  });

  it("with --yes a prompt step stops the run unless --yes-prompts is given too", async () => {
    const manual = planFrom(`${HEADER}stages:\n  - id: s\n    checkpoint: false\n    steps:\n      - {id: ask, prompt: "check the UI"}\n`, {
      positional: ["k3s1"],
    });
    const refused = harness(() => ({}));
    const result = await runPlan(manual, refused.deps, options());
    expect(result).toMatchObject({ outcome: "refused", exitCode: 3 });
    expect(result.reason).toContain("the plan has prompt steps (ask) and there is no terminal: pass --yes --yes-prompts for a drill");
    const drill = harness(() => ({}));
    expect((await runPlan(manual, drill.deps, options({ yesPrompts: true }))).exitCode).toBe(0);
  });

  it("the journal replayed through the reducer gives back the run's state, which resume starts from", async () => {
    const { deps, journal, log } = harness((cmd) => (cmd === "do c" ? { exitCode: 1 } : {}));
    await runPlan(plan(), deps, options());
    const state = replay(journal.records.filter((r) => r.type !== "run") as unknown as EngineEvent[]);
    expect(state.steps.get("a")?.state).toBe(StepState.Undone);
    expect(state.steps.get("c")?.state).toBe(StepState.Failed);
    expect(state.steps.get("resume")?.state).toBe(StepState.Succeeded);
    log.length = 0;
    const again = harness(() => ({}));
    const resumed = await runPlan(plan(), again.deps, options({ resume: state }));
    expect(resumed.exitCode).toBe(0);
    // Undone steps run again, the failed one too, and then the always step in its place again: the
    // cleanup ran it after the undos, and the redone steps need it again (Flux suspended again).
    expect(again.log).toEqual(["host: do a", "host: do b", "host: do c", "host: resume"]);
  });
});
