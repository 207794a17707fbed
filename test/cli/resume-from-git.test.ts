// `recover resume --from-git`: the operator's machine is lost mid-run; on another one, a fresh clone
// of the GitOps remote finds the run by its checkpoint commits and continues it. Real CLI processes,
// a real sshd host, real git with a bare remote.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GitCheckpoints } from "../../src/checkpoint/index.js";
import { type GitSandbox, sandboxPerTest } from "../checkpoint/git-sandbox.js";
import { editSteps, recoveryPlan, STORAGE, stageInput } from "../checkpoint/plans.js";
import { runCliAsync } from "../helpers/cli.js";
import { lines, useRunLab } from "./run-lab.js";

const ctx = useRunLab();
const newSandbox = sandboxPerTest();

const once = (log: string, id: string, more = "") =>
  `{id: ${id}, sh: "echo ${id} >> ${log}", skipIf: {sh: "grep -qx ${id} ${log}", expect: "result.exitCode == 0"}${more}}`;

/** A git sandbox whose config every recover process of the test uses (beside the ssh harness's HOME). */
function sandbox(): GitSandbox {
  const sb = newSandbox();
  Object.assign(ctx.t.env, { GIT_CONFIG_GLOBAL: sb.env.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: "1", GIT_TERMINAL_PROMPT: "0" });
  return sb;
}

/** Three stages, each checkpointed and pushed: Git first, then a destructive step on the node, then Git again. */
async function recoveryOnNode(name: string, log: string): Promise<string> {
  const push = "\n    checkpoint: {push: true}";
  return ctx.t.runbook(
    name,
    `  - id: one
    title: Suspend storage in Git${push}
    steps:
      - ${once(log, "a")}
      - {id: suspend-storage, needs: [a], edit: {file: ${STORAGE}, set: {spec.suspend: true}}}
  - id: two
    title: Wipe on the node${push}
    steps:
      - ${once(log, "b")}
      - ${once(log, "wipe", ", needs: [b], destructive: {confirm: k3s1}")}
      - ${once(log, "c", ", needs: [wipe]")}
  - id: three
    title: Resume storage in Git${push}
    steps:
      - {id: resume-storage, edit: {file: ${STORAGE}, set: {spec.suspend: false}}}
`,
  );
}

/** Runs the recovery until its destructive step has run, then kill -9: the machine is lost there. */
async function lostAfterWipe(sb: GitSandbox, name: string): Promise<{ runId: string; log: string; state: string }> {
  const log = path.join(ctx.t.dir, `${name}.log`);
  const state = path.join(ctx.t.dir, `${name}-lost-state`);
  const rb = await recoveryOnNode(name, log);
  const { id: runId, code } = await ctx.t.killedAt(
    [rb, "--gitops", sb.work, "--state-dir", state, "--yes"],
    (event) => event.type === "step" && event.step === "wipe" && event.state === "succeeded",
  );
  expect(code).toBe(-9);
  expect(await lines(log)).toEqual(["a", "b", "wipe"]);
  return { runId, log, state };
}

const storageIn = (sb: GitSandbox, ref: string) => sb.git(["show", `${ref}:${STORAGE}`], sb.remote);

/** How many checkpoint commits of the run the remote's main holds, per `Recover-Stage` trailer. */
function checkpointsPerStage(sb: GitSandbox, runId: string): Record<string, number> {
  const log = sb.git(
    ["log", "--format=%(trailers:key=Recover-Run,valueonly,separator=%x2C)|%(trailers:key=Recover-Stage,valueonly)", "main"],
    sb.remote,
  );
  const counts: Record<string, number> = {};
  for (const [run, stage] of log
    .split("\n")
    .filter((l) => l.includes("|"))
    .map((l) => l.split("|")))
    if (run === runId && stage) counts[stage] = (counts[stage] ?? 0) + 1;
  return counts;
}

describe("recover resume --from-git on another machine", () => {
  it("finds the run in a fresh clone, says what Git knows, and finishes it: done steps skip, nothing runs twice", async () => {
    const sb = sandbox();
    const { runId, log } = await lostAfterWipe(sb, "fresh-clone");
    const stageOne = sb.git(["log", "-1", "--format=%H", "--grep=^Recover-Stage: 1/3 one$", "main"], sb.remote).trim();
    expect(stageOne).toMatch(/^[0-9a-f]{40}$/);
    expect(storageIn(sb, "main")).toContain("suspend: true");

    const fresh = sb.clone("another-machine");
    const state = path.join(ctx.t.dir, "another-machine-state");
    const resumed = await ctx.t.recover(["resume", "--from-git", "--gitops", fresh, "--state-dir", state, "--yes", "-o", "plain"]);
    expect(resumed.stderr).toContain(
      `recover: resuming the journal of run ${runId} from Git as of stage 1/3 one (done, commit ${stageOne.slice(0, 7)}) in ${fresh}; steps after that may have run on the lost machine: each runs again through its skipIf and guards; destructive ones ask again (--yes answers them)\n`,
    );
    expect(resumed.stderr).toContain(`recover: the checkout moved from ${sb.work} to ${fresh}: the journal's paths follow it\n`);
    expect(resumed.code).toBe(0);
    expect(await lines(log)).toEqual(["a", "b", "wipe", "c"]);
    expect(resumed.stdout).toMatch(/wipe.*skipped/);
    expect(storageIn(sb, "main")).toContain("suspend: false");
    const last = sb.git(
      ["log", "-1", "--format=%(trailers:key=Recover-Run,valueonly)%(trailers:key=Recover-Stage,valueonly)", "main"],
      sb.remote,
    );
    expect(last).toBe(`${runId}\n3/3 three\n\n`);
    // Git's journal was written before stage one was recorded done: its commit is found, not made again.
    expect(checkpointsPerStage(sb, runId)).toEqual({ "1/3 one": 1, "2/3 two": 1, "3/3 three": 1 });
    expect(resumed.stdout).toContain(`stage one: its checkpoint commit ${stageOne.slice(0, 7)} of this run is already on the branch`);
    expect(existsSync(path.join(state, "runs", runId, "journal.jsonl"))).toBe(true);
    // The commits were made in the new clone; the lost checkout is left as it was.
    expect(sb.git(["rev-parse", "HEAD"], fresh)).toBe(sb.git(["rev-parse", "main"], sb.remote));
    expect(sb.git(["rev-parse", "HEAD"]).trim()).toBe(stageOne);

    const again = await ctx.t.recover(["resume", "--from-git", "--gitops", fresh, "--state-dir", state, "--yes", "-o", "plain"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`recover: error: no unfinished run in the history of ${fresh}`);
  });

  it("on the same machine, killed right after a checkpoint commit, before the stage's done record reached the journal: the commit is not made again", async () => {
    const sb = sandbox();
    const { runId, log, state } = await lostAfterWipe(sb, "same-machine");
    // The journal as it was when stage one's commit was made (its snapshot in that commit): the kill came right after.
    const journal = path.join(state, "runs", runId, "journal.jsonl");
    writeFileSync(journal, sb.git(["show", `HEAD:.recover/runs/${runId}/journal.jsonl`]));
    const stageOne = sb.git(["rev-parse", "HEAD"]).trim();

    const resumed = await ctx.t.recover(["resume", runId, "--state-dir", state, "--yes", "-o", "plain"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`stage one: its checkpoint commit ${stageOne.slice(0, 7)} of this run is already on the branch`);
    expect(await lines(log)).toEqual(["a", "b", "wipe", "c"]);
    expect(checkpointsPerStage(sb, runId)).toEqual({ "1/3 one": 1, "2/3 two": 1, "3/3 three": 1 });
  });

  it("uses a local journal that goes further, refuses one that disagrees, and keeps an older one aside", async () => {
    const sb = sandbox();
    const { runId, log, state: lostState } = await lostAfterWipe(sb, "local-journal");
    const fromGit = sb.git(["show", `main:.recover/runs/${runId}/journal.jsonl`], sb.remote);
    const resume = (state: string, ...more: string[]) =>
      ctx.t.recover(["resume", "--from-git", "--gitops", sb.work, "--state-dir", state, "-o", "plain", ...more]);

    // The same machine after `git fetch`: its own journal knows the wipe ran. Unattended, the
    // destructive step still ahead in the plan refuses the run before any step, as for any run.
    const further = await resume(lostState);
    expect(further.stderr).toContain(`goes further: resuming from it, as recover resume ${runId} would`);
    expect(further.code).toBe(3);
    expect(await lines(log)).toEqual(["a", "b", "wipe"]);

    const state = path.join(ctx.t.dir, "local-journal-state");
    const journal = path.join(state, "runs", runId, "journal.jsonl");
    mkdirSync(path.dirname(journal), { recursive: true });
    const runRecord = `${fromGit.split("\n")[0]}\n`;
    writeFileSync(journal, `${runRecord}{"type":"notice","message":"another machine"}\n`);
    const disagrees = await resume(state, "--yes");
    expect(disagrees.code).toBe(3);
    expect(disagrees.stderr).toContain(`and the local journal ${journal} disagree: neither continues the other`);
    expect(await lines(log)).toEqual(["a", "b", "wipe"]);

    writeFileSync(journal, runRecord);
    const resumed = await resume(state, "--yes");
    expect(resumed.stderr).toContain(`this machine's journal of run ${runId} is older than Git's: kept as ${journal}.before-from-git`);
    expect(resumed.code).toBe(0);
    expect(readFileSync(`${journal}.before-from-git`, "utf8")).toBe(runRecord);
    expect(await lines(log)).toEqual(["a", "b", "wipe", "c"]);
  });
});

describe("recover resume --from-git refuses to guess (exit 2)", () => {
  it("no run, several unfinished runs and none named, an unknown id; --gitops without --from-git", async () => {
    const sb = sandbox();
    const none = await runCliAsync(["resume", "--from-git", "--gitops", sb.work], { env: sb.env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`recover: error: no unfinished run in the history of ${sb.work} (its current branch)`);

    const plan = recoveryPlan({ push: true });
    for (const runId of ["20260101T000000Z-one", "20260102T000000Z-two"]) {
      const checkpoints = new GitCheckpoints({ repoDir: sb.work, env: sb.env });
      await checkpoints.preflight(plan);
      for (const step of editSteps(plan, 0)) await checkpoints.applyEdit(step);
      await checkpoints.commitStage(stageInput(plan, runId, 0));
    }
    const fresh = sb.clone("fresh");
    const several = await runCliAsync(["resume", "--from-git", "--gitops", fresh], { env: sb.env });
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(
      /2 unfinished runs in the history of .*; name the one to resume:\n {2}20260102T000000Z-two {2}last checkpoint stage 1\/3 suspend \(done, commit [0-9a-f]{7}\)\n {2}20260101T000000Z-one/,
    );
    expect(several.stderr).toContain("hint: recover resume --from-git 20260102T000000Z-two");

    const unknown = await runCliAsync(["resume", "--from-git", "20260103T000000Z-three", "--gitops", fresh], { env: sb.env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no checkpoint of run 20260103T000000Z-three in the history of");

    const local = await runCliAsync(["resume", "--gitops", fresh], { env: sb.env });
    expect(local.code).toBe(2);
    expect(local.stderr).toContain("--gitops goes with --from-git");
  });
});
