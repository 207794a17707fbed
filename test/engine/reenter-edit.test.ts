// Resume after a kill -9 that landed while a step had started: a command without skipIf is not
// guessed at under --yes, but an edit is applied again (re-applying it is a no-op).
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/events.js";
import type { CheckpointPort } from "../../src/engine/ports.js";
import { runPlan } from "../../src/engine/run-plan.js";
import { replay } from "../../src/engine/run-state.js";
import { HEADER, planFrom } from "../helpers/plan.js";
import { harness, options } from "./scripted.js";

const plan = (step: string, checkpoint = false) =>
  planFrom(
    `${HEADER}stages:\n  - id: s\n${checkpoint ? "" : "    checkpoint: false\n"}    steps:\n      - ${step}\n      - {id: after, sh: "after"}\n`,
    {
      positional: ["k3s1"],
    },
  );

const edits: string[] = [];
const checkpoints: CheckpointPort = {
  preflight: async () => ({ branch: "main", head: "abc" }),
  applyEdit: async (input) => {
    edits.push(input.id);
    return { file: "node.yaml", changed: true };
  },
  commitStage: async () => ({ commit: "c1", pushed: false }),
};

/** The state a journal gives when the process died right after `id` started its action. */
function killedWhileRunning(records: unknown[], id: string) {
  const events = records.filter((r) => (r as { type: string }).type !== "run") as EngineEvent[];
  const at = events.findIndex((e) => e.type === "step" && e.step === id && e.state === "running" && (e.attempt ?? 0) > 0);
  expect(at).toBeGreaterThanOrEqual(0);
  return replay(events.slice(0, at + 1));
}

describe("resume --yes of a step that was running when the run was killed", () => {
  it("refuses to guess for a command without skipIf (exit 3)", async () => {
    const first = harness(() => ({}), { checkpoints });
    await runPlan(plan(`{id: m, sh: "do m"}`), first.deps, options());
    const again = harness(() => ({}), { checkpoints });
    const result = await runPlan(
      plan(`{id: m, sh: "do m"}`),
      again.deps,
      options({ resume: killedWhileRunning(first.journal.records, "m") }),
    );
    expect(result.exitCode).toBe(3);
    // Only the end of what m may have left running, found by the marker journalled before it started.
    const marker = (first.journal.records as EngineEvent[]).find((e) => e.type === "step" && e.step === "m" && e.runMarker)?.runMarker;
    expect(marker).toMatch(/^r[0-9a-f]{16}$/);
    expect(again.log).toHaveLength(1);
    expect(again.log[0]).toContain(`RECOVER_RUN=${marker}`);
  });

  it("applies an edit again and goes on", async () => {
    const step = `{id: e, edit: {file: node.yaml, set: {spec.allowScheduling: false}}}`;
    const first = harness(() => ({}), { checkpoints });
    await runPlan(plan(step, true), first.deps, options());
    edits.length = 0;
    const again = harness(() => ({}), { checkpoints });
    const result = await runPlan(plan(step, true), again.deps, options({ resume: killedWhileRunning(first.journal.records, "e") }));
    expect(result.exitCode).toBe(0);
    expect(edits).toEqual(["e"]);
    expect(again.log).toEqual(["host: after"]);
  });
});
