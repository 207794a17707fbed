// `recover RUNBOOK` end to end: the built CLI runs runbooks against a real sshd host.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { eventsOf, lines, stepStates, useRunLab } from "./run-lab.js";

const ctx = useRunLab();

describe("recover RUNBOOK runs the plan on the host", () => {
  it("a step whose skipIf holds is a no-op with its title as the reason; the others run", async () => {
    const log = path.join(ctx.t.dir, "skip.log");
    const rb = await ctx.t.runbook(
      "skip",
      `  - id: s
    checkpoint: false
    steps:
      - {id: first, sh: "echo first >> ${log}"}
      - id: again
        sh: "echo again >> ${log}"
        skipIf: {title: first is logged, sh: "grep -qx first ${log}", expect: "result.exitCode == 0"}
`,
    );
    const result = await ctx.t.recover([rb, "-o", "json"]);
    expect(result.code).toBe(0);
    expect(await lines(log)).toEqual(["first"]);
    const events = eventsOf(result.stdout);
    expect(events.find((e) => e.type === "step" && e.step === "again" && e.state === "skipped")).toMatchObject({
      reason: "already done: first is logged",
    });
    expect(events.at(-1)).toMatchObject({ type: "finished", outcome: "done", exitCode: 0 });
  });

  it("a guard that does not hold stops before its step, printing its title, message and what the probe saw (exit 3)", async () => {
    const log = path.join(ctx.t.dir, "guard.log");
    const rb = await ctx.t.runbook(
      "guard",
      `  - id: s
    checkpoint: false
    steps:
      - id: wipe
        sh: "echo wiped >> ${log}"
        guard:
          - {title: nothing is mounted, sh: "echo /mnt/disk1", expect: "result.stdout == ''", message: "unmount it first"}
`,
    );
    const result = await ctx.t.recover([rb, "-o", "plain", "--yes"]);
    expect(result.code).toBe(3);
    expect(await lines(log)).toEqual([]);
    expect(result.stdout).toContain(
      '✗ wipe [node] failed: guard "nothing is mounted" does not hold: unmount it first (exit 0; stdout: /mnt/disk1)',
    );
    expect(result.stdout).toContain("refused; nothing was changed");
    expect(result.stdout).toContain("next      fix what the reason names, then run the same command again");
  });

  it("verify is polled until it holds, and fails at its deadline", async () => {
    const counter = path.join(ctx.t.dir, "polls");
    const rb = await ctx.t.runbook(
      "verify",
      `  - id: s
    checkpoint: false
    steps:
      - id: start
        sh: "true"
        verify: {sh: "echo x >> ${counter}; test $(wc -l < ${counter}) -ge 3", expect: "result.exitCode == 0", interval: 100ms, timeout: 20s}
      - id: never
        sh: "true"
        verify: {title: the impossible, sh: "false", expect: "result.exitCode == 0", interval: 100ms, timeout: 300ms, message: "it never comes up"}
`,
    );
    const result = await ctx.t.recover([rb, "-o", "json"]);
    expect(await lines(counter)).toHaveLength(3);
    expect(result.code).toBe(1);
    const finished = eventsOf(result.stdout).at(-1);
    expect(finished).toMatchObject({
      type: "finished",
      outcome: "failed",
      reason: expect.stringContaining('never: verify "the impossible" did not hold within 0.3 s: it never comes up'),
    });
  });

  it("a step with retry fails, is tried again, then succeeds", async () => {
    const counter = path.join(ctx.t.dir, "tries");
    const rb = await ctx.t.runbook(
      "retry",
      `  - id: s
    checkpoint: false
    steps:
      - id: flaky
        sh: "echo try >> ${counter}; test $(wc -l < ${counter}) -ge 3"
        retry: {attempts: 5, delay: 10ms}
`,
    );
    const result = await ctx.t.recover([rb, "-o", "json"]);
    expect(result.code).toBe(0);
    expect(await lines(counter)).toHaveLength(3);
    expect(stepStates(eventsOf(result.stdout), "flaky")).toEqual([
      "running",
      "running",
      "retrying",
      "running",
      "retrying",
      "running",
      "succeeded",
    ]);
  });

  it("a step past its timeout is ended on the host, its process group gone", async () => {
    const sleep = ctx.lab.uniqueSleep();
    const rb = await ctx.t.runbook(
      "timeout",
      `  - id: s
    checkpoint: false
    steps:
      - {id: slow, sh: "sleep ${sleep}; echo never", timeout: 1s}
`,
    );
    const result = await ctx.t.recover([rb, "-o", "plain"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ slow \[node\] failed \(.*\): timed out after 1 s/);
    expect(await ctx.lab.pidsMatching(sleep)).toEqual([]);
  });

  it("on a failure, undoes completed steps in reverse completion order, then runs the always steps", async () => {
    const log = path.join(ctx.t.dir, "undo.log");
    const rb = await ctx.t.runbook(
      "undo",
      `  - id: one
    checkpoint: false
    steps:
      - {id: suspend, sh: "echo suspend >> ${log}", undo: {sh: "echo unsuspend >> ${log}"}}
      - {id: cordon, sh: "echo cordon >> ${log}", undo: {sh: "echo uncordon >> ${log}"}}
  - id: two
    checkpoint: false
    steps:
      - {id: breaks, sh: "echo breaks >> ${log}; exit 7"}
      - {id: not-reached, sh: "echo not-reached >> ${log}"}
      - {id: resume-flux, sh: "echo resume >> ${log}", always: true}
`,
    );
    const result = await ctx.t.recover([rb, "-o", "plain"]);
    expect(result.code).toBe(1);
    expect(await lines(log)).toEqual(["suspend", "cordon", "breaks", "uncordon", "unsuspend", "resume"]);
    expect(result.stdout).toContain("undone    cordon, suspend");
    expect(result.stdout).toContain(`resume    recover resume `);
  });

  it("with no terminal and no --yes, a plan with destructive steps is refused before any step (exit 3)", async () => {
    const log = path.join(ctx.t.dir, "unattended.log");
    const rb = await ctx.t.runbook(
      "unattended",
      `  - id: s
    checkpoint: false
    steps:
      - {id: harmless, sh: "echo harmless >> ${log}"}
      - {id: wipe, sh: "echo wipe >> ${log}", destructive: {confirm: k3s1, impact: "erases the disk"}}
`,
    );
    const result = await ctx.t.recover([rb]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("the plan has destructive steps (wipe) and there is no terminal to confirm them");
    expect(await lines(log)).toEqual([]);
  });
});

describe("the plan that runs is the plan that was previewed", () => {
  it("recover plan -o json equals the Plan the engine ran (the journal's run record)", async () => {
    const rb = await ctx.t.runbook("same", `  - id: s\n    checkpoint: false\n    steps:\n      - {id: one, sh: "true"}\n`);
    const planned = JSON.parse((await ctx.t.recover(["plan", rb, "-o", "json"])).stdout);
    const ran = await ctx.t.recover([rb, "-o", "json"]);
    const journal = eventsOf(ran.stdout).find((e) => e.type === "run")?.journal as string;
    const record = JSON.parse((await readFile(journal, "utf8")).split("\n")[0] as string);
    expect(record.plan).toEqual(planned);
  });

  it("--dry-run --probe runs only the read-only parts on the host and says what it found", async () => {
    const changed = path.join(ctx.t.dir, "probe-changed");
    const rb = await ctx.t.runbook(
      "probe",
      `  - id: s
    checkpoint: false
    steps:
      - {id: look, readOnly: true, sh: "hostname", capture: {as: name}}
      - {id: touch, sh: "touch ${changed}", skipIf: {title: already touched, sh: "test -e ${changed}", expect: "result.exitCode == 0"}}
      - {id: wipe, sh: "touch ${changed}.wiped", guard: [{title: nothing mounted, sh: "echo /mnt/x", expect: "result.stdout == ''", message: "unmount first"}]}
`,
    );
    const result = await ctx.t.recover([rb, "--dry-run", "--probe"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^recover probe — dry run: nothing is executed/);
    expect(result.stdout).toMatch(
      /Probe — read-only checks against the live targets, nothing changed:\n {2}look {3}read-only step ran\n {2}touch {2}would run\n {2}wipe {3}guard "nothing mounted" would stop the run here: unmount first/,
    );
    expect(existsSync(changed)).toBe(false);
    expect(existsSync(`${changed}.wiped`)).toBe(false);
  });
});

describe("recover runs", () => {
  it("lists the runs of the state directory and shows one as text and JSON", async () => {
    const listed = await ctx.t.recover(["runs"]);
    expect(listed.code).toBe(0);
    const first = listed.stdout.split("\n")[1]?.split("  ")[0] ?? "";
    expect(listed.stdout).toMatch(/^ID {2}RUNBOOK {2}PARAMS {2}STATE {2}STARTED {2}DURATION\n/);
    expect(listed.stdout).toMatch(/ undo +failed /);
    const shown = await ctx.t.recover(["runs", "show", first]);
    expect(shown.stdout).toMatch(new RegExp(`^run ${first} `));
    const json = JSON.parse((await ctx.t.recover(["runs", "show", first, "-o", "json"])).stdout);
    expect(json).toMatchObject({ id: first, steps: expect.any(Object) });
  });
});
