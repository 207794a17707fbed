// When the journal reaches the disk: a mutating step's start before its command, its end before
// anything else acts or waits, and one fdatasync when a mutating step follows another. The
// journal port is the boundary: each record, each sync, each command and each wait goes into one
// timeline, in the order the engine made them.
import { describe, expect, it } from "vitest";
import type { JournalRecord } from "../../src/engine/ports.js";
import { runPlan } from "../../src/engine/run-plan.js";
import { HEADER, planFrom } from "../helpers/plan.js";
import { fakeClock, harness, options } from "./scripted.js";

type Entry = { kind: "record"; record: JournalRecord } | { kind: "sync" } | { kind: "exec"; command: string } | { kind: "wait" };

function timelineHarness() {
  const timeline: Entry[] = [];
  const clock = fakeClock();
  const h = harness(
    (command) => {
      timeline.push({ kind: "exec", command });
      return {};
    },
    {
      journal: {
        append: (record) => void timeline.push({ kind: "record", record }),
        sync: async () => void timeline.push({ kind: "sync" }),
        text: () => "",
      },
      clock: {
        now: clock.now,
        sleep: async (ms, signal) => {
          timeline.push({ kind: "wait" });
          await clock.sleep(ms, signal);
        },
      },
    },
  );
  return { ...h, timeline };
}

const isEnd = (e: Entry, step: string) =>
  e.kind === "record" && e.record.type === "step" && e.record.step === step && ["succeeded", "failed"].includes(String(e.record.state));
const isStart = (e: Entry, step: string) =>
  e.kind === "record" && e.record.type === "step" && e.record.step === step && e.record.state === "running" && Number(e.record.attempt) > 0;
const acts = (e: Entry) => e.kind === "exec" || e.kind === "wait";

describe("the journal's durability", () => {
  it("a mutating step's start is synced before its command, its end before the next command or wait; back-to-back mutating steps share one sync", async () => {
    const plan = planFrom(
      `${HEADER}stages:
  - id: s1
    checkpoint: false
    steps:
      - {id: a, sh: "do a"}
      - {id: b, sh: "do b"}
      - {id: c, readOnly: true, sh: "look c"}
      - {id: d, wait: 1s}
      - {id: e, sh: "do e"}
      - {id: f, wait: 1s}
      - {id: g, readOnly: true, sh: "look g"}
`,
      { positional: ["k3s1"] },
    );
    const { deps, timeline } = timelineHarness();
    expect((await runPlan(plan, deps, options())).exitCode).toBe(0);

    for (const step of ["a", "b", "e"]) {
      const command = timeline.findIndex((e) => e.kind === "exec" && e.command === `do ${step}`);
      const start = timeline.findIndex((e) => isStart(e, step));
      const syncBefore = timeline.slice(start, command).some((e) => e.kind === "sync");
      expect(syncBefore, `${step}: a sync between its start record and its command`).toBe(true);
      const end = timeline.findIndex((e) => isEnd(e, step));
      const next = timeline.findIndex((e, i) => i > end && acts(e));
      const syncAfter = timeline.slice(end, next).some((e) => e.kind === "sync");
      expect(syncAfter, `${step}: a sync between its end record and the next command or wait`).toBe(true);
    }
    // a→b: one sync for a's end and b's start; b→c and e→f: one each before the read-only command and the wait;
    // c, d and g (read-only, wait) need none of their own.
    expect(timeline.filter((e) => e.kind === "sync")).toHaveLength(5);
  });

  it("a failed mutating step's end is synced before the undo that follows it", async () => {
    const plan = planFrom(
      `${HEADER}stages:
  - id: s1
    checkpoint: false
    steps:
      - {id: a, sh: "do a", undo: {sh: "undo a"}}
      - {id: b, sh: "do b"}
`,
      { positional: ["k3s1"] },
    );
    const { deps, timeline } = timelineHarness();
    deps.openTransport = (name) => ({
      kind: "ssh",
      name,
      exec: async (request) => {
        const command = "script" in request.command ? request.command.script : request.command.argv.join(" ");
        timeline.push({ kind: "exec", command });
        return { exitCode: command === "do b" ? 1 : 0, signal: null, stdout: "", stderr: "", truncated: false, durationMs: 1 };
      },
      close: async () => {},
    });
    expect((await runPlan(plan, deps, options())).exitCode).toBe(1);
    const end = timeline.findIndex((e) => isEnd(e, "b"));
    const undo = timeline.findIndex((e) => e.kind === "exec" && e.command === "undo a");
    expect(undo).toBeGreaterThan(end);
    expect(timeline.slice(end, undo).some((e) => e.kind === "sync")).toBe(true);
  });
});
