// Benchmarks: cold start and planning at scale, the kube-api emulator, the SSH transport, the engine (one host and 50), the lab's up/down cycle,
// Git checkpoints, the longhorn-node recovery on a lab (where its time goes).
// Run with `npm run bench` (all), or name sections: `npm run bench -- planning kube-api ssh`.
//
// The machines are shared and noisy, so absolute times are printed for reference only; targets
// that can be are expressed as ratios against a baseline measured in the same run.
//
//   BENCH_RUNS=N        cold-start spawns per command (default 30)
//   BENCH_REPS_1K=N     passes over the 1,000-step runbook (default 7)
//   BENCH_REPS_10K=N    passes over the 10,000-step runbook (default 3)
//   BENCH_SSH_ROUNDS=N  rounds of the SSH transport bench (default 5)
//   BENCH_ENGINE_ROUNDS=N  rounds of the engine bench (default 7)
//   BENCH_FANOUT_ROUNDS=N  rounds of the 50-host engine bench (default 5); BENCH_FANOUT_HOSTS=N hosts (default 50)
//   BENCH_LAB_ROUNDS=N  lab up/down cycles (default 3; needs root)
//   BENCH_CHECKPOINT_ROUNDS=N  checkpoint commits per row (default 40)
//   BENCH_DRILL_ROUNDS=N  longhorn-node recoveries on a fresh lab (default 1; needs root)
//   --strict            exit 1 when a target fails (default: report and exit 0)
import os from "node:os";
import { checkpointBench, reportCheckpoint } from "./checkpoint.js";
import { coldStart } from "./cold-start.js";
import { drillBench, reportDrill } from "./drill.js";
import { engineBench, reportEngine } from "./engine.js";
import { fanoutBench, reportFanout } from "./engine-fanout.js";
import { kubeApi, reportKubeApi } from "./kube-api.js";
import { labCycleBench, reportLabCycle } from "./lab-cycle.js";
import { foreachScale, planScale } from "./plan-scale.js";
import { reportSshTransport, sshTransportBench } from "./ssh-transport.js";
import { fmtMs, fmtRatio, ms, ratio, table } from "./stats.js";

const TARGETS = {
  coldStartRatio: 2.5, // median(recover --version) / median(node -e 0)
  dryRunRatio: 5, // median(recover longhorn-node k3s1 --dry-run) / median(node -e 0), whole processes
  // load + validate + plan + render of 1,000 steps in one process (provisional: set from runs on a loaded
  // machine, where validation alone took 1.2-2.7 s; plan + render had a 300 ms budget before)
  total1kMs: 2000,
  scale10kOver1k: 12, // plan + render of 10,000 steps / 1,000 steps
  foreach32kOver8k: 8, // plan of one foreach over 32,000 items / 8,000 items (linear: 4, quadratic: 16)
};

const strict = process.argv.includes("--strict");
const intEnv = (name, fallback) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
};
const runs = intEnv("BENCH_RUNS", 30);
const reps1k = intEnv("BENCH_REPS_1K", 7);
const reps10k = intEnv("BENCH_REPS_10K", 3);
const verdict = (ok) => (ok ? "PASS" : "FAIL");

console.log(`recover bench — node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);

function planningSection() {
  // 1. Start-up of whole processes, the shipped runbook's dry-run among them.
  const cold = coldStart({ runs, warmup: 3 });
  const [node, version, , dryRun, dryRunFresh] = cold.results;
  const coldOk = version.ratio <= TARGETS.coldStartRatio;
  const dryRunOk = dryRun.ratio <= TARGETS.dryRunRatio;
  console.log("");
  console.log(`Start-up — whole processes, ${runs} spawns each, interleaved, after 3 warm-up spawns each`);
  console.log(
    table([
      ["  command", "median", "min", "/ node -e 0"],
      ...cold.results.map((r) => [`  ${r.label}`, fmtMs(r.medianMs), fmtMs(r.minMs), fmtRatio(r.ratio)]),
    ]),
  );

  // 2. Planning scale.
  const [k1, k10] = planScale({
    sizes: [
      { size: 1000, reps: reps1k },
      { size: 10000, reps: reps10k },
    ],
  });
  console.log("");
  console.log(`Planning scale — median of ${reps1k} / ${reps10k} passes; cold = first pass in a fresh process`);
  const row = (r) => [
    `  ${r.size}`,
    String(r.plannedSteps),
    fmtMs(r.median.load),
    fmtMs(r.median.plan),
    fmtMs(r.median.text),
    fmtMs(r.median.json),
    fmtMs(r.median.planRender),
    fmtMs(r.median.total),
    fmtMs(r.cold.planRender),
    fmtMs(r.cold.total),
    `${r.maxRssMB.toFixed(0)} MB`,
  ];
  console.log(
    table([
      ["  steps", "planned", "load+validate", "plan", "render text", "JSON", "plan+render", "total", "cold p+r", "cold total", "max RSS"],
      row(k1),
      row(k10),
    ]),
  );

  const total1k = k1.median.total;
  const total1kOk = total1k < TARGETS.total1kMs;
  const total1kOverNode = total1k / node.medianMs;
  const scalePlanRender = k10.median.planRender / k1.median.planRender;
  const scaleOk = scalePlanRender <= TARGETS.scale10kOver1k;
  const scaleTotal = k10.median.total / k1.median.total;
  const scaleLoad = k10.median.load / k1.median.load;
  const scaleTotalOk = scaleTotal <= TARGETS.scale10kOver1k;

  console.log("");
  console.log("Targets");
  console.log(
    table([
      ["  dry-run of the shipped runbook / node -e 0", fmtRatio(dryRun.ratio), `≤ ${TARGETS.dryRunRatio}×`, verdict(dryRunOk)],
      ["    validating afresh / node -e 0", fmtRatio(dryRunFresh.ratio), "(first run of a changed runbook)", ""],
      ["  recover --version / node -e 0", fmtRatio(version.ratio), `≤ ${TARGETS.coldStartRatio}×`, verdict(coldOk)],
      ["  load+validate+plan+render, 1k steps", fmtMs(total1k), `< ${TARGETS.total1kMs} ms`, verdict(total1kOk)],
      ["  load+validate+plan+render 1k / node -e 0", fmtRatio(total1kOverNode), "(machine-independent figure)", ""],
      ["  plan+render 10k / 1k", fmtRatio(scalePlanRender), `≤ ${TARGETS.scale10kOver1k}×`, verdict(scaleOk)],
      ["  load+validate+plan+render 10k / 1k", fmtRatio(scaleTotal), `≤ ${TARGETS.scale10kOver1k}× (same bound)`, verdict(scaleTotalOk)],
      ["  load+validate 10k / 1k", fmtRatio(scaleLoad), "(for reference; linear is 10×)", ""],
    ]),
  );

  // 3. One foreach step over a large inventory list.
  const [f8k, f32k] = foreachScale();
  const foreachRatio = f32k.planMs / f8k.planMs;
  const foreachOk = foreachRatio <= TARGETS.foreach32kOver8k;
  console.log("");
  console.log("Foreach scale — one step over N inventory disks, median plan time, each size in a fresh process");
  console.log(
    table([
      ["  items", "planned", "plan"],
      [`  ${f8k.items}`, String(f8k.planned), fmtMs(f8k.planMs)],
      [`  ${f32k.items}`, String(f32k.planned), fmtMs(f32k.planMs)],
    ]),
  );
  console.log(`  plan 32k / 8k ${fmtRatio(foreachRatio)}  (target ≤ ${TARGETS.foreach32kOver8k}×; linear is 4×)  ${verdict(foreachOk)}`);

  const pass = coldOk && dryRunOk && total1kOk && scaleOk && scaleTotalOk && foreachOk;
  const round = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, ms(v)]));
  const scaleResult = (r) => ({
    size: r.size,
    reps: r.reps,
    declaredSteps: r.declaredSteps,
    plannedSteps: r.plannedSteps,
    stages: r.stages,
    captures: r.captures,
    yamlBytes: r.yamlBytes,
    textBytes: r.textBytes,
    jsonBytes: r.jsonBytes,
    medianMs: round(r.median),
    coldMs: round(r.cold),
    maxRssMB: Math.round(r.maxRssMB),
  });
  const result = {
    node: process.version,
    cpus: os.cpus().length,
    loadavg: ratio(os.loadavg()[0]),
    startup: {
      runs: cold.runs,
      warmup: cold.warmup,
      commands: cold.results.map((r) => ({
        command: r.label.trim(),
        medianMs: ms(r.medianMs),
        minMs: ms(r.minMs),
        ratio: ratio(r.ratio),
        samplesMs: r.samples.map(ms),
      })),
    },
    planScale: [scaleResult(k1), scaleResult(k10)],
    foreachScale: [f8k, f32k].map((r) => ({ items: r.items, planned: r.planned, planMs: ms(r.planMs) })),
    ratios: {
      coldStart: ratio(version.ratio),
      dryRun: ratio(dryRun.ratio),
      dryRunValidatingAfresh: ratio(dryRunFresh.ratio),
      total1kOverNode: ratio(total1kOverNode),
      planRender10kOver1k: ratio(scalePlanRender),
      total10kOver1k: ratio(scaleTotal),
      load10kOver1k: ratio(scaleLoad),
      foreach32kOver8k: ratio(foreachRatio),
    },
    targets: {
      coldStartRatio: { limit: TARGETS.coldStartRatio, value: ratio(version.ratio), pass: coldOk },
      dryRunRatio: { limit: TARGETS.dryRunRatio, value: ratio(dryRun.ratio), pass: dryRunOk },
      total1kMs: { limit: TARGETS.total1kMs, value: ms(total1k), pass: total1kOk },
      planRender10kOver1k: { limit: TARGETS.scale10kOver1k, value: ratio(scalePlanRender), pass: scaleOk },
      total10kOver1k: { limit: TARGETS.scale10kOver1k, value: ratio(scaleTotal), pass: scaleTotalOk },
      foreach32kOver8k: { limit: TARGETS.foreach32kOver8k, value: ratio(foreachRatio), pass: foreachOk },
    },
    pass,
    strict,
  };
  console.log("");
  console.log(`BENCH ${JSON.stringify(result)}`);
  return pass;
}

const SECTIONS = {
  planning: async () => planningSection(),
  "kube-api": async () => reportKubeApi(await kubeApi({ runs: intEnv("BENCH_RUNS", 20) })),
  ssh: async () => reportSshTransport(await sshTransportBench({ rounds: intEnv("BENCH_SSH_ROUNDS", 5) })),
  engine: async () => reportEngine(await engineBench({ rounds: intEnv("BENCH_ENGINE_ROUNDS", 7) })),
  fanout: async () =>
    reportFanout(await fanoutBench({ rounds: intEnv("BENCH_FANOUT_ROUNDS", 5), hosts: intEnv("BENCH_FANOUT_HOSTS", 50) })),
  lab: async () => reportLabCycle(labCycleBench({ rounds: intEnv("BENCH_LAB_ROUNDS", 3) })),
  checkpoint: async () => reportCheckpoint(await checkpointBench({ rounds: intEnv("BENCH_CHECKPOINT_ROUNDS", 40) })),
  drill: async () => reportDrill(await drillBench({ rounds: intEnv("BENCH_DRILL_ROUNDS", 1) })),
};
const asked = process.argv.slice(2).filter((a) => !a.startsWith("--"));
for (const name of asked)
  if (!(name in SECTIONS)) throw new Error(`unknown bench section ${name}; sections: ${Object.keys(SECTIONS).join(", ")}`);
let allPass = true;
for (const name of asked.length > 0 ? asked : Object.keys(SECTIONS)) {
  console.log("");
  allPass = (await SECTIONS[name]()) && allPass;
}
console.log("");
console.log(
  `${allPass ? "All targets met." : "Some targets FAILED"}${!allPass && !strict ? " (exit 0; pass --strict to fail the run)" : ""}`,
);
if (strict && !allPass) process.exitCode = 1;
