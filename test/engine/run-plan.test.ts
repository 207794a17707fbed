import { describe, expect, it } from "vitest";
import { runPlan } from "../../src/engine/run-plan.js";
import { HEADER, planFrom } from "../helpers/plan.js";
import { harness, options, recordingCheckpoints, statesOf } from "./scripted.js";

const stage = (steps: string) => `stages:\n  - id: s1\n    checkpoint: false\n    steps:\n${steps}`;

describe("runPlan on a scripted transport", () => {
  it("runs steps in order, skips a step whose skipIf holds, and captures for later steps", async () => {
    const plan = planFrom(
      `${HEADER}${stage(`      - {id: a, sh: "echo one", capture: {as: first}}
      - {id: b, sh: "touch x", skipIf: {sh: "test -e x", expect: "result.exitCode == 0", title: x exists}}
      - {id: c, sh: "echo \${{ captures.first }}-two"}
`)}`,
      { positional: ["k3s1"] },
    );
    const { deps, log, events } = harness((cmd) => (cmd === "echo one" ? { stdout: "one\n" } : {}));
    const result = await runPlan(plan, deps, options());
    expect(result).toMatchObject({ outcome: "done", exitCode: 0 });
    expect(log).toEqual(["host: echo one", "host: test -e x", "host: echo one-two"]);
    expect(statesOf(events, "b")).toEqual(["running", "skipped"]);
    expect(events.find((e) => e.type === "step" && e.step === "b" && e.state === "skipped")).toMatchObject({
      reason: "already done: x exists",
    });
  });

  it("a failing guard stops before the step; nothing changed is exit 3", async () => {
    const plan = planFrom(
      `${HEADER}${stage(`      - {id: a, sh: "wipefs", guard: [{title: not mounted, sh: "findmnt", expect: "result.exitCode != 0", message: "it is mounted"}]}
`)}`,
      { positional: ["k3s1"] },
    );
    const { deps, log, events } = harness(() => ({ stdout: "/mnt/x" }));
    const result = await runPlan(plan, deps, options());
    expect(result.exitCode).toBe(3);
    expect(log).toEqual(["host: findmnt"]);
    const failed = events.find((e) => e.type === "step" && e.state === "failed");
    expect(failed).toMatchObject({ reason: expect.stringContaining('guard "not mounted" does not hold: it is mounted') });
  });

  it("retries where the runbook says so, with backoff, then succeeds", async () => {
    const plan = planFrom(`${HEADER}${stage(`      - {id: a, sh: "flaky", retry: {attempts: 3, delay: 1s, backoff: 2}}\n`)}`, {
      positional: ["k3s1"],
    });
    let calls = 0;
    const { deps, events } = harness(() => ({ exitCode: ++calls < 3 ? 1 : 0 }));
    const result = await runPlan(plan, deps, options());
    expect(result.exitCode).toBe(0);
    expect(statesOf(events, "a")).toEqual(["running", "running", "retrying", "running", "retrying", "running", "succeeded"]);
    const waits = events.flatMap((e) => (e.type === "step" && e.state === "retrying" ? [e.reason] : []));
    expect(waits).toEqual([expect.stringContaining("in 1000 ms"), expect.stringContaining("in 2000 ms")]);
  });

  it("polls verify until it holds, and fails at its deadline", async () => {
    const plan = planFrom(
      `${HEADER}${stage(`      - {id: a, sh: "start", verify: {sh: "probe", expect: "result.stdout == 'up'", interval: 1s, timeout: 5s}}\n`)}`,
      { positional: ["k3s1"] },
    );
    let polls = 0;
    const ok = harness((cmd) => (cmd === "probe" ? { stdout: ++polls >= 3 ? "up" : "down" } : {}));
    expect((await runPlan(plan, ok.deps, options())).exitCode).toBe(0);
    expect(polls).toBe(3);
    const never = harness((cmd) => (cmd === "probe" ? { stdout: "down" } : {}));
    const result = await runPlan(plan, never.deps, options());
    expect(result.exitCode).toBe(1);
    expect(never.log.filter((c) => c.endsWith("probe"))).toHaveLength(6);
    expect(result.reason).toContain("did not hold within 5 s");
  });

  it("on a failure undoes completed steps in reverse completion order, then runs always steps", async () => {
    const plan = planFrom(
      `${HEADER}stages:
  - id: s1
    checkpoint: false
    steps:
      - {id: a, sh: "do a", undo: {sh: "undo a"}}
      - {id: b, sh: "do b", undo: {sh: "undo b"}}
  - id: s2
    checkpoint: false
    steps:
      - {id: c, sh: "do c"}
      - {id: resume, sh: "resume flux", always: true}
`,
      { positional: ["k3s1"] },
    );
    const { deps, log, events } = harness((cmd) => (cmd === "do c" ? { exitCode: 2, stderr: "boom\n" } : {}));
    const result = await runPlan(plan, deps, options());
    expect(result).toMatchObject({ outcome: "failed", exitCode: 1 });
    expect(log).toEqual(["host: do a", "host: do b", "host: do c", "host: undo b", "host: undo a", "host: resume flux"]);
    expect(statesOf(events, "a")).toEqual(["running", "running", "succeeded", "undoing", "undone"]);
    expect(events.at(-1)).toMatchObject({ type: "finished", outcome: "failed", reason: "c: exited 2: boom" });
  });

  it("runs independent steps in parallel, bounded by --parallel", async () => {
    const plan = planFrom(
      `${HEADER}${stage(`      - {id: a, sh: "w a"}
      - {id: b, sh: "w b", needs: []}
      - {id: c, sh: "w c", needs: []}
      - {id: d, sh: "w d", needs: [a, b, c]}
`)}`,
      { positional: ["k3s1"] },
    );
    let now = 0;
    let most = 0;
    const { deps, log } = harness(async () => {
      most = Math.max(most, ++now);
      await new Promise((r) => setTimeout(r, 5));
      now--;
      return {};
    });
    await runPlan(plan, deps, options({ parallel: 2 }));
    expect(most).toBe(2);
    expect(log.at(-1)).toBe("host: w d");
  });

  it("records a stage done only after its checkpoint commit, and a failed commit fails the stage", async () => {
    const plan = planFrom(
      `${HEADER}stages:\n  - id: s1\n    steps:\n      - {id: a, sh: "x"}\n  - id: s2\n    steps:\n      - {id: b, sh: "y"}\n`,
      {
        positional: ["k3s1"],
      },
    );
    const { commits, checkpoints } = recordingCheckpoints("s2");
    const { deps, events } = harness(() => ({}), { checkpoints });
    const result = await runPlan(plan, deps, options());
    expect(commits).toEqual(["s1:done", "s2:done", "s2:failed"]);
    const stages = events.flatMap((e) =>
      e.type === "stage" || e.type === "checkpoint" ? [`${e.type} ${e.stage} ${"state" in e ? e.state : e.status}`] : [],
    );
    expect(stages).toEqual(["stage s1 running", "checkpoint s1 done", "stage s1 done", "stage s2 running", "stage s2 failed"]);
    expect(result.exitCode).toBe(1);
  });

  it("makes no checkpoint commit for a stage whose every step was skipped (a rerun adds none)", async () => {
    const plan = planFrom(
      `${HEADER}stages:\n  - id: s1\n    steps:\n      - {id: a, sh: "x", when: "false"}\n  - id: s2\n    steps:\n      - {id: b, sh: "y"}\n`,
      { positional: ["k3s1"] },
    );
    const { commits, checkpoints } = recordingCheckpoints();
    const { deps, events } = harness(() => ({}), { checkpoints });
    const result = await runPlan(plan, deps, options());
    expect(result.exitCode).toBe(0);
    expect(commits).toEqual(["s2:done"]);
    expect(events).toContainEqual({ type: "notice", message: "stage s1: every step skipped, nothing to commit" });
  });

  it("refuses a destructive plan without a terminal and without --yes before anything runs", async () => {
    const plan = planFrom(`${HEADER}${stage(`      - {id: a, sh: "wipefs -a /dev/x", destructive: {confirm: k3s1}}\n`)}`, {
      positional: ["k3s1"],
    });
    const { deps, log } = harness(() => ({}));
    const result = await runPlan(plan, deps, options({ yes: false }));
    expect(result).toMatchObject({ outcome: "refused", exitCode: 3 });
    expect(result.reason).toContain("no terminal to confirm them");
    expect(log).toEqual([]);
  });

  it("redacts secrets from events and the journal, and sends a script holding one on stdin", async () => {
    const plan = planFrom(
      `${HEADER}  token: {type: string, secret: true}\n${stage(`      - {id: a, sh: "login \${{ params.token }}"}\n`)}`,
      { positional: ["k3s1"], named: { token: "s3cr3t-value" } },
    );
    const stdins: string[] = [];
    const { deps, log, events, journal } = harness((_cmd, request) => {
      stdins.push(String(request.stdin));
      return { stdout: "token s3cr3t-value ok" };
    });
    await runPlan(
      plan,
      deps,
      options({
        context: { params: { node: "k3s1", token: "s3cr3t-value" }, inventory: {}, repo: { dir: "." } },
        secrets: ["s3cr3t-value"],
      }),
    );
    expect(log).toEqual(["host: /bin/sh -s"]);
    expect(stdins[0]).toContain("login s3cr3t-value");
    expect(JSON.stringify(events)).not.toContain("s3cr3t-value");
    expect(journal.text()).not.toContain("s3cr3t-value");
    expect(JSON.stringify(events)).toContain("login <secret>");
  });
});
