// The engine: its own cost per step, in process, on no-op steps (state, events, redaction, journal
// with fdatasync: one per mutating step), against calling the same no-op transport directly; and a 20-step runbook of
// `test -d /tmp` on one real sshd host through the real CLI (`recover RUNBOOK --yes --output plain`,
// process start included) against a bare-ssh2 process doing the same 20 commands, whole process vs
// whole process, interleaved; ansible-playbook beside them when it is installed (never installed here).
//   node bench/engine.js        BENCH_ENGINE_ROUNDS=N (default 7)
import { execFile, spawnSync } from "node:child_process";
import { closeSync, existsSync, fdatasync, openSync, writeSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { sshLab } from "./ssh-lab.js";
import { writeAnsibleFiles } from "./ssh-transport.js";
import { fmtMs, fmtRatio, median, ms, ratio, table } from "./stats.js";

const run = promisify(execFile);
const DIST = new URL("../dist/", import.meta.url);
const BIN = fileURLToPath(new URL("../bin/recover.js", import.meta.url));
const BARE = fileURLToPath(new URL("./bare-ssh2.js", import.meta.url));
const STEPS_IN_PROCESS = 500;
const COMMANDS = 20;
const COMMAND = "test -d /tmp";

export const TARGETS = {
  perStepMs: 1, // engine's own cost per step beyond the transport
  cliOverBare: 1.5, // recover RUNBOOK (20 steps) / bare ssh2 process (20 commands)
  ansibleOverCli: 10, // ansible-playbook / recover RUNBOOK, at least
};

const timed = async (fn) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

/** A plan of n sequential no-op sh steps on one local target. */
function noOpPlan(n, readOnly) {
  const steps = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    title: `s${i}`,
    origin: { runbook: "bench", file: "bench.yaml", line: 1, column: 1, step: `s${i}` },
    target: "here",
    action: { kind: "sh", script: "true" },
    needs: i === 0 ? [] : [`s${i - 1}`],
    guards: [],
    always: false,
    deferred: [],
    ...(readOnly ? { readOnly: true } : {}),
  }));
  return {
    apiVersion: "recover/v1",
    kind: "Plan",
    runbook: { name: "bench", file: "bench.yaml", summary: "bench" },
    params: {},
    targets: { here: { kind: "local" } },
    stages: [{ id: "s", title: "s", steps }],
  };
}

const noOpTransport = {
  kind: "local",
  name: "local",
  exec: async () => ({ exitCode: 0, signal: null, stdout: "", stderr: "", truncated: false, durationMs: 0 }),
  close: async () => {},
};

async function perStep(rounds, dir) {
  const { runPlan } = await import(new URL("engine/run-plan.js", DIST).href);
  const { FileJournal } = await import(new URL("engine/journal-file.js", DIST).href);
  const { systemClock } = await import(new URL("engine/clock.js", DIST).href);
  let runs = 0;
  const engine = (readOnly) => async () => {
    const journal = new FileJournal(path.join(dir, `run-${++runs}`, "journal.jsonl"));
    const events = [];
    const result = await runPlan(
      noOpPlan(STEPS_IN_PROCESS, readOnly),
      { openTransport: () => noOpTransport, clock: systemClock, journal, emit: (e) => events.push(e) },
      {
        runId: `b${runs}`,
        planHash: "h",
        parallel: 8,
        yes: true,
        yesPrompts: false,
        stepMode: false,
        context: { params: {}, inventory: {}, repo: { dir } },
        secrets: ["s3cret"],
      },
    );
    journal.close();
    if (result.exitCode !== 0) throw new Error(`bench run ended ${result.outcome}: ${result.reason}`);
  };
  const direct = async () => {
    for (let i = 0; i < STEPS_IN_PROCESS; i++) await noOpTransport.exec({ command: { script: "true" } });
  };
  // The disk's part: one journal-sized line appended and fdatasync'd, as often as the mutating row syncs.
  let flushes = 0;
  const diskOnly = async () => {
    const fd = openSync(path.join(dir, `flush-${++flushes}.jsonl`), "a");
    const line = `${JSON.stringify({ type: "step", step: "s1", stage: "s", state: "running", attempt: 1, mutating: true })}\n`;
    for (let i = 0; i < STEPS_IN_PROCESS; i++) {
      writeSync(fd, line);
      await new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
    }
    closeSync(fd);
  };
  const rows = { mutating: engine(false), readOnly: engine(true), direct, diskOnly };
  const samples = { mutating: [], readOnly: [], direct: [], diskOnly: [] };
  for (const fn of Object.values(rows)) await fn();
  const names = Object.keys(rows);
  for (let r = 0; r < rounds; r++)
    for (const name of names.map((_, i) => names[(i + r) % names.length])) samples[name].push(await timed(rows[name]));
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const perStep = (v) => (v - m.direct) / STEPS_IN_PROCESS;
  return {
    medians: m,
    // The fastest and slowest round of the mutating row, per step: the spread a loaded disk gives.
    mutatingRangeMs: [perStep(Math.min(...samples.mutating)), perStep(Math.max(...samples.mutating))],
    perStepMutatingMs: (m.mutating - m.direct) / STEPS_IN_PROCESS,
    perStepReadOnlyMs: (m.readOnly - m.direct) / STEPS_IN_PROCESS,
  };
}

async function wholeProcesses(rounds, dir) {
  const lab = await sshLab();
  if (lab.skipped) return { skipped: lab.skipped };
  const { startSshd, system } = lab;
  const keyFile = path.join(dir, "id_bench");
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyFile]);
  const server = await startSshd({ authorizedKeys: [await readFile(`${keyFile}.pub`, "utf8")], system });
  try {
    const knownHosts = path.join(dir, "known_hosts");
    await writeFile(knownHosts, `${server.knownHostsLines().join("\n")}\n`);
    const configFile = path.join(dir, "ssh_config");
    await writeFile(
      configFile,
      `Host bench\n  HostName ${server.address}\n  Port ${server.port}\n  User ${system.user}\n  IdentityFile ${keyFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts}\n`,
    );
    const runbook = path.join(dir, "twenty.yaml");
    const steps = Array.from({ length: COMMANDS }, (_, i) => `      - {id: t${i}, sh: "${COMMAND}"}`).join("\n");
    await writeFile(
      runbook,
      `apiVersion: recover/v1\nkind: Runbook\nmetadata: {name: twenty}\nsummary: bench\ntargets:\n  node: {ssh: {host: bench}}\nstages:\n  - id: s\n    checkpoint: false\n    steps:\n${steps}\n`,
    );
    const env = { ...process.env, HOME: dir, XDG_STATE_HOME: path.join(dir, "state"), NO_COLOR: "1" };
    const rows = {
      recover: () => run(process.execPath, [BIN, runbook, "--yes", "--output", "plain", "-F", configFile], { env }),
      bare: () => run(process.execPath, [BARE, server.address, String(server.port), system.user, keyFile, String(COMMANDS), COMMAND]),
    };
    const hasAnsible = spawnSync("ansible-playbook", ["--version"]).status === 0;
    if (hasAnsible)
      rows.ansible = (
        await writeAnsibleFiles(dir, { address: server.address, port: server.port, user: system.user }, keyFile, knownHosts)
      ).round;
    const samples = Object.fromEntries(Object.keys(rows).map((k) => [k, []]));
    for (const fn of Object.values(rows)) await fn();
    const names = Object.keys(rows);
    for (let r = 0; r < rounds; r++)
      for (const name of names.map((_, i) => names[(i + r) % names.length])) samples[name].push(await timed(rows[name]));
    const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    return {
      medians: m,
      cliOverBare: m.recover / m.bare,
      ansibleOverCli: m.ansible === undefined ? undefined : m.ansible / m.recover,
      ansibleSkipped: hasAnsible ? undefined : "ansible-playbook is not installed (the bench does not install it)",
    };
  } finally {
    await server.stop();
  }
}

/** Runs both parts; returns their figures. */
export async function engineBench({ rounds = 7 } = {}) {
  if (!existsSync(new URL("engine/run-plan.js", DIST))) return { skipped: "dist/ is missing: run `npm run build` first" };
  const dir = await mkdtemp(path.join(os.tmpdir(), "recover-bench-engine-"));
  try {
    return { rounds, perStep: await perStep(rounds, dir), processes: await wholeProcesses(rounds, dir) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function reportEngine(result) {
  console.log(
    `Engine — per-step cost in process (${STEPS_IN_PROCESS} no-op steps), and ${COMMANDS} steps through the real CLI; medians of ${result.rounds} interleaved rounds`,
  );
  if (result.skipped) {
    console.log(`  skipped: ${result.skipped}`);
    return true;
  }
  const verdict = (ok) => (ok ? "PASS" : "FAIL");
  const p = result.perStep;
  const w = result.processes;
  console.log(
    table([
      ["  row", "median", "per step"],
      [
        `  runPlan, ${STEPS_IN_PROCESS} mutating steps (one journal fdatasync each)`,
        fmtMs(p.medians.mutating),
        fmtMs(p.medians.mutating / STEPS_IN_PROCESS),
      ],
      [`  runPlan, ${STEPS_IN_PROCESS} readOnly steps`, fmtMs(p.medians.readOnly), fmtMs(p.medians.readOnly / STEPS_IN_PROCESS)],
      [`  the no-op transport called directly ${STEPS_IN_PROCESS}×`, fmtMs(p.medians.direct), fmtMs(p.medians.direct / STEPS_IN_PROCESS)],
      [
        `  the disk alone: a line appended and fdatasync'd ${STEPS_IN_PROCESS}×`,
        fmtMs(p.medians.diskOnly),
        fmtMs(p.medians.diskOnly / STEPS_IN_PROCESS),
      ],
      ...(w.skipped
        ? [["  whole processes", "skipped", w.skipped]]
        : [
            [
              `  recover RUNBOOK --yes --output plain (${COMMANDS} steps, one sshd host)`,
              fmtMs(w.medians.recover),
              fmtMs(w.medians.recover / COMMANDS),
            ],
            [`  bare ssh2 process, ${COMMANDS} commands`, fmtMs(w.medians.bare), fmtMs(w.medians.bare / COMMANDS)],
            w.medians.ansible === undefined
              ? ["  ansible-playbook", "skipped", w.ansibleSkipped]
              : ["  ansible-playbook (pipelining)", fmtMs(w.medians.ansible), fmtMs(w.medians.ansible / COMMANDS)],
          ]),
    ]),
  );
  const stepOk = p.perStepMutatingMs < TARGETS.perStepMs;
  const cliOk = w.skipped ? true : w.cliOverBare <= TARGETS.cliOverBare;
  const ansibleOk = w.ansibleOverCli === undefined || w.ansibleOverCli >= TARGETS.ansibleOverCli;
  console.log("Targets");
  console.log(
    table([
      [
        "  engine's own cost per mutating step (fdatasync included)",
        fmtMs(p.perStepMutatingMs),
        `< ${TARGETS.perStepMs} ms`,
        verdict(stepOk),
      ],
      ["    its fastest and slowest round", `${fmtMs(p.mutatingRangeMs[0])}–${fmtMs(p.mutatingRangeMs[1])}`, "(for reference)", ""],
      ["    a bare append + fdatasync, same rounds", fmtMs(p.medians.diskOnly / STEPS_IN_PROCESS), "(for reference: the disk's share)", ""],
      ["  engine's own cost per readOnly step", fmtMs(p.perStepReadOnlyMs), "(for reference)", ""],
      [
        "  recover RUNBOOK / bare ssh2 process",
        w.skipped ? "skipped" : fmtRatio(w.cliOverBare),
        `≤ ${TARGETS.cliOverBare}×`,
        w.skipped ? "" : verdict(cliOk),
      ],
      [
        "  ansible-playbook / recover RUNBOOK",
        w.ansibleOverCli === undefined ? "skipped" : fmtRatio(w.ansibleOverCli),
        `≥ ${TARGETS.ansibleOverCli}×`,
        w.ansibleOverCli === undefined ? "" : verdict(ansibleOk),
      ],
    ]),
  );
  const pass = stepOk && cliOk && ansibleOk;
  console.log(
    `BENCH ${JSON.stringify({
      engine: {
        rounds: result.rounds,
        perStepMs: {
          mutating: ms(p.perStepMutatingMs),
          readOnly: ms(p.perStepReadOnlyMs),
          mutatingRange: p.mutatingRangeMs.map(ms),
          diskFlush: ms(p.medians.diskOnly / STEPS_IN_PROCESS),
        },
        inProcessMedianMs: Object.fromEntries(Object.entries(p.medians).map(([k, v]) => [k, ms(v)])),
        processes: w.skipped
          ? { skipped: w.skipped }
          : {
              medianMs: Object.fromEntries(Object.entries(w.medians).map(([k, v]) => [k, ms(v)])),
              cliOverBare: ratio(w.cliOverBare),
              ansibleOverCli: w.ansibleOverCli === undefined ? null : ratio(w.ansibleOverCli),
            },
        pass,
      },
    })}`,
  );
  return pass;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const raw = process.env.BENCH_ENGINE_ROUNDS;
  const rounds = raw ? Number(raw) : 7;
  console.log(`recover engine bench — node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);
  reportEngine(await engineBench({ rounds }));
}
