import { describe, expect, it } from "vitest";
import { StepState } from "../../src/engine/step-state.js";
import { StepTable } from "../../src/engine/step-table.js";

const rec = (state: StepState, attempt = 1) => ({ state, attempt });

describe("StepTable", () => {
  it("is persistent: set and without return new tables and leave the old one as it was", () => {
    const empty = StepTable.empty();
    const one = empty.set("a", rec(StepState.Running), "not-completed");
    const two = one.set("a", rec(StepState.Succeeded), "completed");
    const gone = two.without("a");
    expect(empty.get("a")).toBeUndefined();
    expect(one.get("a")?.state).toBe(StepState.Running);
    expect(two.get("a")?.state).toBe(StepState.Succeeded);
    expect(gone.get("a")).toBeUndefined();
    expect([empty.size, one.size, two.size, gone.size]).toEqual([0, 1, 1, 0]);
  });

  it("keeps 10,000 steps apart (ids sharing a slot included), lists them in first-seen order, completed ones in completion order", () => {
    let table = StepTable.empty();
    const ids = Array.from({ length: 10_000 }, (_, i) => `wipe[sd${i}]`);
    for (const id of ids) table = table.set(id, rec(StepState.Running), "not-completed");
    for (const id of [...ids].reverse()) table = table.set(id, rec(StepState.Succeeded, 2), "completed");
    table = table.set(ids[5] as string, rec(StepState.Undone), "not-completed");
    expect(table.size).toBe(10_000);
    expect(table.entries().map(([id]) => id)).toEqual(ids);
    expect(table.get("wipe[sd42]")).toEqual(rec(StepState.Succeeded, 2));
    expect(table.completed()).toEqual([...ids].reverse().filter((id) => id !== ids[5]));
  });

  it("keeps a step's completion when a later record does not change it, and prints as a plain object", () => {
    const table = StepTable.empty()
      .set("a", rec(StepState.Succeeded), "completed")
      .set("b", rec(StepState.Succeeded), "completed")
      .set("a", rec(StepState.Undoing), "keep");
    expect(table.completed()).toEqual(["a", "b"]);
    expect(JSON.parse(JSON.stringify(table))).toEqual({ a: rec(StepState.Undoing), b: rec(StepState.Succeeded) });
  });
});
