// Stopping and resuming real CLI processes: Ctrl-C, kill -9 at every step boundary, the lock,
// and a secret that must never show. Against a real sshd host.
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/events.js";
import { eventually } from "../helpers/eventually.js";
import { lines, useRunLab } from "./run-lab.js";

const ctx = useRunLab();

const once = (log: string, id: string) =>
  `{id: ${id}, sh: "echo ${id} >> ${log}", skipIf: {sh: "grep -qx ${id} ${log}", expect: "result.exitCode == 0"}}`;

describe("Ctrl-C", () => {
  it("SIGINT to the CLI ends the running step on the host, undoes what completed, runs always steps, exits 130", async () => {
    const log = path.join(ctx.t.dir, "sigint.log");
    const sleep = ctx.lab.uniqueSleep();
    const rb = await ctx.t.runbook(
      "sigint",
      `  - id: s
    checkpoint: false
    steps:
      - {id: suspend, sh: "echo suspend >> ${log}", undo: {sh: "echo unsuspend >> ${log}"}}
      - {id: slow, sh: "sleep ${sleep}; echo slow >> ${log}"}
      - {id: resume-flux, sh: "echo resume >> ${log}", always: true}
`,
    );
    let signalled = false;
    const { done } = ctx.t.start([rb], (event, child) => {
      if (!signalled && event.type === "step" && event.step === "slow" && event.state === "running" && event.attempt === 1) {
        signalled = true;
        void ctx.lab.waitForProcess(sleep).then(() => child.kill("SIGINT"));
      }
    });
    const result = await done;
    expect(result.code).toBe(130);
    expect(await lines(log)).toEqual(["suspend", "unsuspend", "resume"]);
    expect(await ctx.lab.pidsMatching(sleep)).toEqual([]);
    expect(result.stderr).toContain("SIGINT: stopping");
  });
});

describe("kill -9 and resume", () => {
  it("killed at every step boundary, resume runs every mutating step exactly once", async () => {
    for (let boundary = 1; boundary <= 4; boundary++) {
      const log = path.join(ctx.t.dir, `once-${boundary}.log`);
      const rb = await ctx.t.runbook(
        `once-${boundary}`,
        `  - id: one
    checkpoint: false
    steps:
      - ${once(log, "a")}
      - ${once(log, "b")}
  - id: two
    checkpoint: false
    steps:
      - ${once(log, "c")}
      - ${once(log, "d")}
      - ${once(log, "e")}
`,
      );
      let seen = 0;
      const { id, code } = await ctx.t.killedAt(
        [rb],
        (event) => event.type === "step" && event.state === "succeeded" && ++seen === boundary,
      );
      expect(code).toBe(-9);
      const resumed = await ctx.t.recover(["resume", id, "--yes", "-o", "plain"]);
      expect(resumed.stderr).toMatch(/^recover: taking over the lock ssh-k3s1: its holder, pid \d+ of run \S+, is gone\n$/);
      expect(resumed.code).toBe(0);
      expect(await lines(log)).toEqual(["a", "b", "c", "d", "e"]);
    }
  });

  it("killed while a wait follows a mutating step without skipIf: its end was journalled first, so resume --yes does not repeat it", async () => {
    const log = path.join(ctx.t.dir, "ended.log");
    const rb = await ctx.t.runbook(
      "ended",
      `  - id: s
    checkpoint: false
    steps:
      - {id: a, sh: "echo a >> ${log}"}
      - {id: pause, wait: 2s}
      - {id: b, sh: "echo b >> ${log}"}
`,
    );
    const { id, code } = await ctx.t.killedAt(
      [rb],
      (event) => event.type === "step" && event.step === "pause" && event.state === "running" && event.attempt === 1,
    );
    expect(code).toBe(-9);
    const resumed = await ctx.t.recover(["resume", id, "--yes", "-o", "plain"]);
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(await lines(log)).toEqual(["a", "b"]);
  });

  it("a mutating step without skipIf that was running is ended on the host, then resume --yes refuses to guess (exit 3)", async () => {
    const sleep = ctx.lab.uniqueSleep();
    const rb = await ctx.t.runbook(
      "no-skipif",
      `  - id: s
    checkpoint: false
    steps:
      - {id: slow, sh: "sleep ${sleep}"}
`,
    );
    const { id } = await ctx.t.killedAt([rb], (event) => event.type === "process" && ctx.lab.waitForProcess(sleep).then(() => true));
    expect(await ctx.lab.pidsMatching(sleep)).not.toEqual([]);
    const resumed = await ctx.t.recover(["resume", id, "--yes", "-o", "plain"]);
    expect(resumed.code).toBe(3);
    expect(resumed.stdout).toMatch(/step slow was running when the run stopped: its process group \d+ on node was ended/);
    expect(resumed.stdout).toContain("slow (stage s) was running when the run stopped and has no skipIf to tell whether it finished");
    expect(await ctx.lab.pidsMatching(sleep)).toEqual([]);
  });
});

describe("a plan that changed", () => {
  it("resume refuses a changed runbook (exit 3, what changed), and --replan continues with the new plan", async () => {
    const flag = path.join(ctx.t.dir, "replan-flag");
    const log = path.join(ctx.t.dir, "replan.log");
    const stages = (extra: string) => `  - id: s
    checkpoint: false
    steps:
      - ${once(log, "a")}
      - {id: gate, sh: "test -e ${flag}"}
${extra}`;
    const rb = await ctx.t.runbook("replan", stages(""));
    const first = await ctx.t.recover([rb, "-o", "plain"]);
    expect(first.code).toBe(1);
    const id = /^recover replan: run (\S+)/.exec(first.stdout)?.[1] as string;
    await ctx.t.runbook("replan", stages(`      - ${once(log, "added")}\n`));
    await writeFile(flag, "");
    const refused = await ctx.t.recover(["resume", id, "-o", "plain"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("changed since it started (runbook or inventory):\n  + added (new step)");
    const replanned = await ctx.t.recover(["resume", id, "--replan", "-o", "plain"]);
    expect(replanned.code).toBe(0);
    expect(replanned.stderr).toContain("--replan: continuing run");
    expect(await lines(log)).toEqual(["a", "added"]);
  });
});

describe("one run per node", () => {
  it("two processes racing for one node: one runs, the other exits 4 naming the holder", async () => {
    const rb = await ctx.t.runbook(
      "race",
      `  - id: s
    checkpoint: false
    steps:
      - {id: hold, sh: "sleep 2"}
`,
    );
    const [one, two] = await Promise.all([ctx.t.recover([rb, "-o", "plain"]), ctx.t.recover([rb, "-o", "plain"])]);
    expect([one.code, two.code].sort()).toEqual([0, 4]);
    const loser = one.code === 4 ? one : two;
    expect(loser.stderr).toMatch(/ssh-k3s1 is locked by run \S+ \(pid \d+ on \S+, since /);
  });
});

describe("secrets", () => {
  it("a secret param never shows in stdout, stderr, the journal, JSON events or the host's process list", async () => {
    const canary = `canary-${process.pid}-${Date.now()}`;
    const marker = `1.${process.pid}7`;
    const out = path.join(ctx.t.dir, "secret.out");
    const rb = await ctx.t.runbook(
      "secret",
      `  - id: s
    checkpoint: false
    steps:
      - {id: use, sh: "echo \${{ params.token }} > ${out}; sleep ${marker}; echo used \${{ params.token }}"}
`,
      { params: "  token: {type: string, secret: true}" },
    );
    let listed: number[] | undefined;
    const events: EngineEvent[] = [];
    const env = ctx.t.env;
    env.RECOVER_PARAM_TOKEN = canary;
    try {
      const { done } = ctx.t.start([rb], (event) => {
        events.push(event);
        if (event.type === "process")
          void ctx.lab.waitForProcess(`sleep ${marker}`).then(async () => {
            listed = await ctx.lab.pidsMatching(canary);
          });
      });
      const result = await done;
      expect(result.code).toBe(0);
      expect(await eventually(() => listed !== undefined)).toBe(true);
      expect(listed).toEqual([]);
      expect((await readFile(out, "utf8")).trim()).toBe(canary);
      expect(result.stdout).not.toContain(canary);
      expect(result.stderr).not.toContain(canary);
      expect(JSON.stringify(events)).toContain("used <secret>");
      const runs = path.join(ctx.t.state, "recover", "runs");
      for (const id of await readdir(runs)) expect(await readFile(path.join(runs, id, "journal.jsonl"), "utf8")).not.toContain(canary);
    } finally {
      delete env.RECOVER_PARAM_TOKEN;
    }
  });
});
