// The full longhorn-node recovery on a lab (2 nodes × 3 disks), as `recover drill longhorn-node k3s1`
// runs it: `recover lab up`, then `recover longhorn-node k3s1 --lab DIR --yes`, then `lab down`.
// Where the run's wall time goes: kubectl and git (every process timed by a shim on PATH, wall and
// CPU), the steps run over SSH (from their first event to their last, stamped as the events
// arrive), the runbook's own `wait` steps, and recover's own CPU (engine, expressions, JSON, the
// in-process SSH client: the process tree's CPU less its kubectl, git and local children's). The
// rest — no kubectl or git process, no SSH step, less recover's CPU — is waiting on the cluster
// (verify polls' and retries' sleeps). kubectl invocations are counted by kind (list, get of one
// object, patch, …), and the one-object gets by what they read.
// The issue's target: the engine's own share of the wall time under 5 %. Needs root.
//
//   node bench/drill.js        prints the table and a BENCH line
//   BENCH_DRILL_ROUNDS=N       rounds (default 1)
//   BENCH_DRILL_DUMP=PREFIX    also writes each round's timed calls and events to PREFIX.N.json
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fmtMs, median, ms, ratio, table } from "./stats.js";

const BIN = fileURLToPath(new URL("../bin/recover.js", import.meta.url));
export const TARGETS = { engineShare: 0.05 };

/**
 * A shim that runs the real program, then appends to $RECOVER_BENCH_LOG "name start end\targv" (s)
 * and bash's `times` (its own line, then its children's: the real program's user and sys CPU).
 * `times` runs in the shim's own shell, never in a subshell, whose counters would be empty.
 */
const shim = (name, real) => `#!/bin/bash
s=$EPOCHREALTIME
${JSON.stringify(real)} "$@"
rc=$?
e=$EPOCHREALTIME
exec 3>>"$RECOVER_BENCH_LOG"
printf '%s %s %s\\t%s\\n' ${name} "$s" "$e" "$*" >&3
times >&3
exit $rc
`;

/** bash `times` line "0m1.234s 0m0.056s" → seconds [user, sys]. */
function parseTimes(line) {
  return line
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((t) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(t);
      return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
    });
}

/** Total length of the union of [start, end] intervals (ms). */
function unionMs(intervals) {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur;
  for (const [s, e] of sorted) {
    if (!cur || s > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [s, e];
    } else cur[1] = Math.max(cur[1], e);
  }
  if (cur) total += cur[1] - cur[0];
  return total;
}

/** Options that take their value as the next argument (the transport's own, and kubectl's short forms). */
const VALUE_FLAGS = new Set([
  "--kubeconfig",
  "--context",
  "-n",
  "--namespace",
  "-o",
  "--output",
  "-l",
  "--selector",
  "-p",
  "--patch",
  "--type",
  "-f",
  "--filename",
  "--field-selector",
  "--request-timeout",
]);

/** kubectl's words: its argv without options and their values. */
function kubectlWords(args) {
  const words = [];
  for (let i = 0; i < args.length; i++) {
    if (VALUE_FLAGS.has(args[i])) i++;
    else if (!args[i].startsWith("-")) words.push(args[i]);
  }
  return words;
}

/** kubectl argv → what kind of call it is. */
function kubectlKind(args) {
  const words = kubectlWords(args);
  const verb = words[0] ?? "?";
  if (verb !== "get") return verb;
  const many = args.includes("--all-namespaces") || args.includes("-A") || words.length < 3 || words[1].includes(",");
  return many ? "get (list)" : "get (one object)";
}

/** One line of the run's `--output json` stdout, stamped when it arrived (ms since the epoch, as the shims' times). */
function runRecovery(argv, env) {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", argv, { env, stdio: ["ignore", "pipe", "pipe"] });
    const events = [];
    let buffer = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      const at = Date.now();
      buffer += chunk;
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith("{")) events.push({ ...JSON.parse(line), receivedAt: at });
        nl = buffer.indexOf("\n");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, events, stderr }));
  });
}

/** [start, end] (ms since the epoch) of every step whose action is `kind`: from its first `running` to its end. */
function stepIntervals(events, kind) {
  const kinds = new Map();
  const started = new Map();
  const intervals = [];
  for (const e of events) {
    if (e.type !== "step") continue;
    if (e.action?.kind) kinds.set(e.step, e.action.kind);
    if (e.state === "running" && !started.has(e.step)) started.set(e.step, e.receivedAt);
    if (["succeeded", "failed", "skipped"].includes(e.state) && started.has(e.step)) {
      if (kinds.get(e.step) === kind) intervals.push([started.get(e.step), e.receivedAt]);
      started.delete(e.step);
    }
  }
  return intervals;
}

/** One-object gets grouped by what they read ("nodes.longhorn.io k3s1"), most frequent first. */
function oneObjectGets(calls) {
  const counts = new Map();
  for (const c of calls) {
    if (kubectlKind(c.args) !== "get (one object)") continue;
    const words = kubectlWords(c.args);
    const what = `${words[1]} ${words[2]}`;
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}

async function oneRound(tmp, round) {
  const dir = path.join(tmp, `lab${round}`);
  const shims = path.join(tmp, `shims${round}`);
  const log = path.join(tmp, `calls${round}.log`);
  const timesFile = path.join(tmp, `times${round}`);
  mkdirSync(shims);
  for (const name of ["kubectl", "git"]) {
    const real = execFileSync("bash", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    writeFileSync(path.join(shims, name), shim(name, real));
    chmodSync(path.join(shims, name), 0o755);
  }
  writeFileSync(log, "");
  execFileSync(process.execPath, [BIN, "lab", "up", "--dir", dir], { stdio: "ignore" });
  try {
    const startEpoch = Date.now();
    const start = performance.now();
    const run = await runRecovery(
      [
        "-c",
        'PATH="$SHIMS:$PATH" "$@"; rc=$?; times > "$TIMES_FILE"; exit $rc',
        "bench",
        process.execPath,
        BIN,
        "longhorn-node",
        "k3s1",
        "--lab",
        dir,
        "--yes",
        "--yes-prompts",
        "--output",
        "json",
      ],
      { ...process.env, SHIMS: shims, TIMES_FILE: timesFile, RECOVER_BENCH_LOG: log },
    );
    const wallMs = performance.now() - start;
    if (run.status !== 0) throw new Error(`the recovery exited ${run.status}: ${run.stderr.slice(-2000)}`);
    const [treeUser, treeSys] = parseTimes(readFileSync(timesFile, "utf8").split("\n")[1] ?? "");
    const lines = readFileSync(log, "utf8").split("\n");
    const calls = [];
    for (let i = 0; i + 2 < lines.length; i += 3) {
      const [head, argv = ""] = lines[i].split("\t");
      const [name, s, e] = head.split(" ");
      const [user, sys] = parseTimes(lines[i + 2]);
      calls.push({ name, startMs: Number(s) * 1000, endMs: Number(e) * 1000, cpuS: user + sys, args: argv.split(" ") });
    }
    const { events } = run;
    if (process.env.BENCH_DRILL_DUMP)
      writeFileSync(`${process.env.BENCH_DRILL_DUMP}.${round}.json`, JSON.stringify({ startEpoch, wallMs, calls, events }));
    const kinds = new Map();
    for (const e of events) if (e.type === "step" && e.action?.kind) kinds.set(e.step, e.action.kind);
    const stepSum = (kind) =>
      events
        .filter((e) => e.type === "step" && (e.state === "succeeded" || e.state === "failed") && kinds.get(e.step) === kind)
        .reduce((sum, e) => sum + (e.durationMs ?? 0), 0);
    const of = (name) => calls.filter((c) => c.name === name);
    const kubectl = of("kubectl");
    const git = of("git");
    const byKind = {};
    for (const c of kubectl) byKind[kubectlKind(c.args)] = (byKind[kubectlKind(c.args)] ?? 0) + 1;
    const childCpuS = kubectl.concat(git).reduce((sum, c) => sum + c.cpuS, 0);
    const sshIntervals = stepIntervals(events, "sh");
    const recoverCpuMs = Math.max(0, (treeUser + treeSys - childCpuS) * 1000);
    // Busy: a kubectl or git process runs, or a step over SSH is under way. The rest of the wall time,
    // less recover's own CPU, is waiting: verify polls' and retries' sleeps on the cluster.
    const busyMs = unionMs([...kubectl, ...git].map((c) => [c.startMs, c.endMs]).concat(sshIntervals));
    return {
      wallMs,
      startEpoch,
      recoverCpuMs,
      kubectl: {
        count: kubectl.length,
        wallMs: unionMs(kubectl.map((c) => [c.startMs, c.endMs])),
        cpuMs: kubectl.reduce((s, c) => s + c.cpuS, 0) * 1000,
        byKind,
        oneObject: oneObjectGets(kubectl),
      },
      git: { count: git.length, wallMs: unionMs(git.map((c) => [c.startMs, c.endMs])), cpuMs: git.reduce((s, c) => s + c.cpuS, 0) * 1000 },
      sshMs: unionMs(sshIntervals),
      sshStepsMs: stepSum("sh"),
      waitStepsMs: stepSum("wait"),
      waitingMs: Math.max(0, wallMs - busyMs - recoverCpuMs),
    };
  } finally {
    execFileSync(process.execPath, [BIN, "lab", "down", "--dir", dir], { stdio: "ignore" });
  }
}

export async function drillBench({ rounds = 1 } = {}) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "recover-bench-drill-"));
  try {
    const samples = [];
    for (let r = 0; r < rounds; r++) samples.push(await oneRound(tmp, r));
    return { rounds, samples };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function reportDrill(result) {
  const m = (f) => median(result.samples.map(f));
  const wall = m((s) => s.wallMs);
  const engine = m((s) => s.recoverCpuMs);
  const share = engine / wall;
  const ok = share < TARGETS.engineShare;
  const last = result.samples.at(-1);
  const pct = (v) => `${((100 * v) / wall).toFixed(1)} %`;
  console.log(`longhorn-node k3s1 on a lab (2 nodes × 3 disks, lab at 10× speed) — median of ${result.rounds} run(s)`);
  console.log(
    table([
      ["  wall time", fmtMs(wall), ""],
      ["  recover's own CPU (engine, expressions, in-process SSH)", fmtMs(engine), pct(engine)],
      [`  kubectl: ${last.kubectl.count} processes (wall, union)`, fmtMs(m((s) => s.kubectl.wallMs)), pct(m((s) => s.kubectl.wallMs))],
      ["  kubectl CPU", fmtMs(m((s) => s.kubectl.cpuMs)), ""],
      [`  git: ${last.git.count} processes (wall, union)`, fmtMs(m((s) => s.git.wallMs)), pct(m((s) => s.git.wallMs))],
      ["  steps over SSH (wall, union; their checks included)", fmtMs(m((s) => s.sshMs)), pct(m((s) => s.sshMs))],
      [
        "  waiting on the cluster (none of the above: verify polls' and retries' sleeps)",
        fmtMs(m((s) => s.waitingMs)),
        pct(m((s) => s.waitingMs)),
      ],
      ["  the runbook's wait steps", fmtMs(m((s) => s.waitStepsMs)), pct(m((s) => s.waitStepsMs))],
    ]),
  );
  console.log("  (steps run side by side and recover's CPU overlaps its children's: the rows need not add up to the wall time)");
  console.log(
    `  kubectl calls: ${Object.entries(last.kubectl.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
  );
  console.log(
    `  one-object gets by what they read: ${Object.entries(last.kubectl.oneObject)
      .map(([k, n]) => `${k} ×${n}`)
      .join(", ")}`,
  );
  console.log(`  recover's own share ${(share * 100).toFixed(1)} % (target < ${TARGETS.engineShare * 100} %) ${ok ? "PASS" : "FAIL"}`);
  const line = {
    wallMs: ms(wall),
    recoverCpuMs: ms(engine),
    share: ratio(share),
    kubectl: {
      count: last.kubectl.count,
      wallMs: ms(m((s) => s.kubectl.wallMs)),
      byKind: last.kubectl.byKind,
      oneObject: last.kubectl.oneObject,
    },
    git: { count: last.git.count, wallMs: ms(m((s) => s.git.wallMs)) },
    sshMs: ms(m((s) => s.sshMs)),
    sshStepsMs: ms(m((s) => s.sshStepsMs)),
    waitingMs: ms(m((s) => s.waitingMs)),
    waitStepsMs: ms(m((s) => s.waitStepsMs)),
    pass: ok,
  };
  console.log(`BENCH ${JSON.stringify({ drill: line })}`);
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rounds = Number(process.env.BENCH_DRILL_ROUNDS ?? 1);
  reportDrill(await drillBench({ rounds }));
}
