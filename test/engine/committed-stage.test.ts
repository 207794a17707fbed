// Resume of a stage whose steps all succeeded but whose done record never reached the journal (the
// process stopped right after its checkpoint commit, or the journal came from that commit): the
// port says whether this run's commit of the stage is already on the branch.
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/events.js";
import { runPlan } from "../../src/engine/run-plan.js";
import { replay } from "../../src/engine/run-state.js";
import { StepState } from "../../src/engine/step-state.js";
import { HEADER, planFrom } from "../helpers/plan.js";
import { harness, options, recordingCheckpoints } from "./scripted.js";

const plan = planFrom(
  `${HEADER}stages:\n  - id: s1\n    steps:\n      - {id: a, sh: "x"}\n  - id: s2\n    steps:\n      - {id: b, sh: "y"}\n`,
  {
    positional: ["k3s1"],
  },
);

/** The state of a first run's journal cut just before stage s1's checkpoint event (what its commit's snapshot holds). */
async function stoppedAtFirstCheckpoint() {
  const first = harness(() => ({}), { checkpoints: recordingCheckpoints().checkpoints });
  await runPlan(plan, first.deps, options());
  const events = first.journal.records.filter((r) => r.type !== "run") as unknown as EngineEvent[];
  const at = events.findIndex((e) => e.type === "checkpoint" && e.stage === "s1");
  expect(at).toBeGreaterThan(0);
  return replay(events.slice(0, at));
}

describe("resume of a stage whose checkpoint commit came before its done record", () => {
  it("the commit is on the branch: the stage is done without a second one, and a notice says so", async () => {
    const resume = await stoppedAtFirstCheckpoint();
    const { commits, checkpoints } = recordingCheckpoints(undefined, ["s1"]);
    const again = harness(() => ({}), { checkpoints });
    const result = await runPlan(plan, again.deps, options({ resume }));
    expect(result.exitCode).toBe(0);
    expect(commits).toEqual(["s2:done"]);
    expect(again.log).toEqual(["host: y"]);
    expect(again.events).toContainEqual({
      type: "notice",
      message: "stage s1: its checkpoint commit c0ffee0 of this run is already on the branch and pushed: not made again",
    });
    expect(again.events).toContainEqual(expect.objectContaining({ type: "stage", stage: "s1", state: "done" }));
  });

  it("no such commit on the branch: the stage commits as usual", async () => {
    const resume = await stoppedAtFirstCheckpoint();
    const { commits, checkpoints } = recordingCheckpoints();
    const result = await runPlan(plan, harness(() => ({}), { checkpoints }).deps, options({ resume }));
    expect(result.exitCode).toBe(0);
    expect(commits).toEqual(["s1:done", "s2:done"]);
  });

  it("a step of the stage runs again (undone by the run that stopped): its new change is committed", async () => {
    const settled = await stoppedAtFirstCheckpoint();
    const resume = { ...settled, steps: settled.steps.set("a", { state: StepState.Undone, attempt: 1 }, "not-completed") };
    const { commits, checkpoints } = recordingCheckpoints(undefined, ["s1"]);
    const again = harness(() => ({}), { checkpoints });
    const result = await runPlan(plan, again.deps, options({ resume }));
    expect(result.exitCode).toBe(0);
    expect(again.log).toEqual(["host: x", "host: y"]);
    expect(commits).toEqual(["s1:done", "s2:done"]);
  });
});
