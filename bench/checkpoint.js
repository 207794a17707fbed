// Git checkpoints: one stage's checkpoint commit (no push) of two edited files plus the journal
// snapshot through GitCheckpoints.commitStage, against `git add` + `git commit` of the same files
// by hand (the same real git, started the same way), each in its own temp repository. Rounds are
// interleaved so both rows see the same machine noise. Git's config and HOME point at temp files.
// Run `npm run build` first.
//
//   node bench/checkpoint.js        prints the table and a BENCH line
//   BENCH_CHECKPOINT_ROUNDS=N       commits per row (default 40, after 5 warm-up commits each)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { fmtMs, fmtRatio, median, ms, ratio, table } from "./stats.js";

const DIST = new URL("../dist/", import.meta.url);
const WARMUP = 5;
const FILES = ["clusters/k3s-flux/monitoring.yaml", "infrastructure/k3s1-node-config/k3s1-node.yaml"];
const JOURNAL = ".recover/runs/bench-run/journal.jsonl";

export const TARGETS = {
  overByHand: 1.5, // median(commitStage) / median(git add + git commit by hand)
  commitMs: 30, // median(commitStage), absolute
};

function repo(root, name, env) {
  const dir = path.join(root, name);
  mkdirSync(dir);
  const git = (args) => execa("git", args, { cwd: dir, env, extendEnv: false });
  return { dir, git };
}

function edit(dir, round) {
  // What two edit steps leave behind: each file changed by one line.
  for (const [i, file] of FILES.entries()) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), `kind: Bench\nspec:\n  file: ${i}\n  round: ${round}\n`);
  }
}

function journal(round) {
  return `${Array.from({ length: 20 + round }, (_, i) => JSON.stringify({ type: "step", step: `s${i}`, state: "succeeded", ms: i })).join("\n")}\n`;
}

export async function checkpointBench({ rounds }) {
  const { GitCheckpoints } = await import(new URL("checkpoint/index.js", DIST).href);
  const root = mkdtempSync(path.join(os.tmpdir(), "recover-bench-checkpoint-"));
  try {
    const home = path.join(root, "home");
    mkdirSync(home);
    writeFileSync(
      path.join(home, ".gitconfig"),
      "[user]\n\tname = Bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n",
    );
    const env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_GLOBAL: path.join(home, ".gitconfig"), GIT_CONFIG_NOSYSTEM: "1" };
    const ours = repo(root, "recover", env);
    const byHand = repo(root, "by-hand", env);
    for (const r of [ours, byHand]) {
      await r.git(["init", "--quiet"]);
      edit(r.dir, -1);
      writeFileSync(path.join(r.dir, ".sourceignore"), ".recover/\n");
      await r.git(["add", "-A"]);
      await r.git(["commit", "--quiet", "-m", "seed"]);
    }
    const checkpoints = new GitCheckpoints({ repoDir: ours.dir, env });
    const stage = {
      id: "bench",
      title: "Bench",
      steps: [],
      checkpoint: { message: "recover bench: a stage (stage 1/1)", files: FILES, push: false },
    };

    const runOurs = async (round) => {
      edit(ours.dir, round);
      const start = performance.now();
      await checkpoints.commitStage({
        runId: "bench-run",
        planHash: "sha256:bench",
        stage,
        stageIndex: 0,
        stageCount: 1,
        status: "done",
        journal: journal(round),
      });
      return performance.now() - start;
    };
    const runByHand = async (round) => {
      edit(byHand.dir, round);
      mkdirSync(path.join(byHand.dir, path.dirname(JOURNAL)), { recursive: true });
      const start = performance.now();
      writeFileSync(path.join(byHand.dir, JOURNAL), journal(round));
      await byHand.git(["add", "--", ...FILES, JOURNAL]);
      await byHand.git(["commit", "--quiet", "-m", "recover bench: a stage (stage 1/1)"]);
      return performance.now() - start;
    };

    const samples = { ours: [], byHand: [] };
    for (let round = 0; round < WARMUP + rounds; round++) {
      const pair = round % 2 === 0 ? [runOurs, runByHand] : [runByHand, runOurs];
      const times = [];
      for (const run of pair) times.push(await run(round));
      if (round < WARMUP) continue;
      samples.ours.push(pair[0] === runOurs ? times[0] : times[1]);
      samples.byHand.push(pair[0] === runByHand ? times[0] : times[1]);
    }
    const medians = { ours: median(samples.ours), byHand: median(samples.byHand) };
    return { rounds, medians, ratio: medians.ours / medians.byHand, samples };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function reportCheckpoint(result) {
  const verdict = (ok) => (ok ? "PASS" : "FAIL");
  const ratioOk = result.ratio <= TARGETS.overByHand;
  const absoluteOk = result.medians.ours < TARGETS.commitMs;
  console.log(
    `Git checkpoints — a stage's commit of 2 edited files + the journal snapshot, no push; medians of ${result.rounds} interleaved commits`,
  );
  console.log(
    table([
      ["  row", "median", "min"],
      ["  GitCheckpoints.commitStage", fmtMs(result.medians.ours), fmtMs(Math.min(...result.samples.ours))],
      ["  git add + git commit by hand", fmtMs(result.medians.byHand), fmtMs(Math.min(...result.samples.byHand))],
    ]),
  );
  console.log("Targets");
  console.log(
    table([
      ["  commitStage / by hand", fmtRatio(result.ratio), `≤ ${TARGETS.overByHand}×`, verdict(ratioOk)],
      ["  commitStage", fmtMs(result.medians.ours), `< ${TARGETS.commitMs} ms`, verdict(absoluteOk)],
    ]),
  );
  const bench = {
    checkpoint: {
      rounds: result.rounds,
      medianMs: { commitStage: ms(result.medians.ours), byHand: ms(result.medians.byHand) },
      ratio: ratio(result.ratio),
      targets: {
        overByHand: { limit: TARGETS.overByHand, value: ratio(result.ratio), pass: ratioOk },
        commitMs: { limit: TARGETS.commitMs, value: ms(result.medians.ours), pass: absoluteOk },
      },
    },
  };
  console.log(`BENCH ${JSON.stringify(bench)}`);
  return ratioOk && absoluteOk;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rounds = Number(process.env.BENCH_CHECKPOINT_ROUNDS ?? 40);
  reportCheckpoint(await checkpointBench({ rounds }));
}
