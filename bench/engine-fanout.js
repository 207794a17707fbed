// The engine across many hosts: one plan of 10 steps on each of 50 real sshd hosts (each on its own
// 127.0.0.x, as the tests start them) through the real CLI, against the same 10 steps on one of them,
// whole process vs whole process, interleaved. Each host's steps are a chain (`needs` the previous);
// the chains are independent, so `--parallel` bounds how many hosts run at once: the row at 50 is the
// target, the default (8) is shown beside it.
// The floor, in the same run: bare ssh2 doing the same logins and commands in one process and nothing
// else (bench/bare-ssh2-fanout.js), on one host and on all of them. Here the 50 hosts' sshd share
// the machine's CPUs with the client, so the machine's whole CPU time (from /proc/stat: recover or
// ssh2, every sshd and shell, the kernel's loopback TCP) is shown too, and what it allows at best.
//   node bench/engine-fanout.js        BENCH_FANOUT_ROUNDS=N (default 5), BENCH_FANOUT_HOSTS=N (default 50)
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { sshLab } from "./ssh-lab.js";
import { fmtMs, fmtRatio, median, ms, ratio, table } from "./stats.js";

const run = promisify(execFile);
const DIST = new URL("../dist/", import.meta.url);
const BIN = fileURLToPath(new URL("../bin/recover.js", import.meta.url));
const BARE = fileURLToPath(new URL("bare-ssh2-fanout.js", import.meta.url));
const STEPS = 10;
const COMMAND = "test -d /tmp";

export const TARGETS = {
  manyOverOne: 2, // wall time, N hosts / one host (the issue's target)
  manyOverBare: 1.5, // wall time, recover on N hosts / bare ssh2 on N hosts: what recover adds where it matters
};

/** A runbook with one chain of STEPS steps per host, the chains independent of each other. */
function runbookText(hosts) {
  const targets = hosts.map((h) => `  ${h}: {ssh: {host: ${h}}}`).join("\n");
  const steps = hosts.flatMap((h) =>
    Array.from(
      { length: STEPS },
      (_, i) => `      - {id: ${h}-${i}, on: ${h}, sh: "${COMMAND}", needs: [${i === 0 ? "" : `${h}-${i - 1}`}]}`,
    ),
  );
  return `apiVersion: recover/v1\nkind: Runbook\nmetadata: {name: fanout}\nsummary: bench\ntargets:\n${targets}\nstages:\n  - id: s\n    checkpoint: false\n    steps:\n${steps.join("\n")}\n`;
}

/** CPU seconds (user + system) of the sshd processes under the given pids, children included, from /proc. */
async function sshdCpu(pids) {
  const tick = 100; // USER_HZ
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1].split(" ");
      // utime stime cutime cstime: fields 14-17 of stat, 12-15 after "pid (comm) "
      total += (Number(stat[11]) + Number(stat[12]) + Number(stat[13]) + Number(stat[14])) / tick;
    } catch {
      // gone
    }
  }
  return total;
}

/** CPU milliseconds the whole machine has spent busy (user, nice, system, irq, softirq), from /proc/stat. */
async function machineBusyMs() {
  const fields = (await readFile("/proc/stat", "utf8")).split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq] = fields;
  return ((user + nice + system + irq + softirq) * 1000) / 100; // USER_HZ
}

async function timedProcess(args, env) {
  const busy = await machineBusyMs();
  const start = performance.now();
  const child = run("/usr/bin/time", ["-f", "%U %S", process.execPath, ...args], { env, maxBuffer: 64 << 20 });
  const { stderr } = await child;
  const wallMs = performance.now() - start;
  const [user, sys] = stderr.trim().split("\n").at(-1).split(" ").map(Number);
  return { wallMs, cpuMs: (user + sys) * 1000, machineCpuMs: (await machineBusyMs()) - busy };
}

export async function fanoutBench({ rounds = 5, hosts: count = 50 } = {}) {
  if (!existsSync(new URL("recover.cjs", DIST))) return { skipped: "dist/ is missing: run `npm run build` first" };
  const lab = await sshLab();
  if (lab.skipped) return { skipped: lab.skipped };
  const { startSshd, system } = lab;
  const dir = await mkdtemp(path.join(os.tmpdir(), "recover-bench-fanout-"));
  const servers = [];
  try {
    const keyFile = path.join(dir, "id_bench");
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyFile]);
    const key = await readFile(`${keyFile}.pub`, "utf8");
    const addresses = new Set();
    while (servers.length < count) {
      const server = await startSshd({ authorizedKeys: [key], system });
      // One host per address, as 50 machines would be.
      if (addresses.has(server.address)) {
        await server.stop();
        continue;
      }
      addresses.add(server.address);
      servers.push(server);
    }
    const names = servers.map((_, i) => `h${i}`);
    const knownHosts = path.join(dir, "known_hosts");
    await writeFile(knownHosts, `${servers.flatMap((s) => s.knownHostsLines()).join("\n")}\n`);
    const configFile = path.join(dir, "ssh_config");
    await writeFile(
      configFile,
      servers
        .map(
          (s, i) =>
            `Host ${names[i]}\n  HostName ${s.address}\n  Port ${s.port}\n  User ${system.user}\n  IdentityFile ${keyFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts}\n`,
        )
        .join(""),
    );
    const many = path.join(dir, "many.yaml");
    const one = path.join(dir, "one.yaml");
    await writeFile(many, runbookText(names));
    await writeFile(one, runbookText(names.slice(0, 1)));
    const hostsFile = path.join(dir, "hosts.json");
    const hostList = servers.map((s) => ({ address: s.address, port: s.port, user: system.user }));
    await writeFile(hostsFile, JSON.stringify(hostList));
    const oneHostFile = path.join(dir, "one-host.json");
    await writeFile(oneHostFile, JSON.stringify(hostList.slice(0, 1)));
    const env = { ...process.env, HOME: dir, XDG_STATE_HOME: path.join(dir, "state"), NO_COLOR: "1" };
    const base = ["--yes", "--output", "plain", "-F", configFile];
    const rows = {
      one: [BIN, one, ...base],
      many: [BIN, many, ...base, "--parallel", String(count)],
      manyDefault: [BIN, many, ...base],
      bareOne: [BARE, oneHostFile, keyFile, String(STEPS), COMMAND],
      bareMany: [BARE, hostsFile, keyFile, String(STEPS), COMMAND],
    };
    const sshdPids = servers.map((s) => s.pid).filter(Boolean);
    const samples = Object.fromEntries(Object.keys(rows).map((k) => [k, { wallMs: [], cpuMs: [], sshdCpuMs: [], machineCpuMs: [] }]));
    for (const args of Object.values(rows)) await timedProcess(args, env);
    const keys = Object.keys(rows);
    for (let r = 0; r < rounds; r++)
      for (const k of keys.map((_, i) => keys[(i + r) % keys.length])) {
        const before = await sshdCpu(sshdPids);
        const t = await timedProcess(rows[k], env);
        samples[k].wallMs.push(t.wallMs);
        samples[k].cpuMs.push(t.cpuMs);
        samples[k].machineCpuMs.push(t.machineCpuMs);
        samples[k].sshdCpuMs.push(((await sshdCpu(sshdPids)) - before) * 1000);
      }
    const summary = Object.fromEntries(
      Object.entries(samples).map(([k, s]) => [
        k,
        {
          wallMs: median(s.wallMs),
          minMs: Math.min(...s.wallMs),
          maxMs: Math.max(...s.wallMs),
          cpuMs: median(s.cpuMs),
          sshdCpuMs: median(s.sshdCpuMs),
          machineCpuMs: median(s.machineCpuMs),
        },
      ]),
    );
    return {
      rounds,
      hosts: count,
      summary,
      manyOverOne: summary.many.wallMs / summary.one.wallMs,
      bareManyOverOne: summary.bareMany.wallMs / summary.bareOne.wallMs,
      manyOverBare: summary.many.wallMs / summary.bareMany.wallMs,
    };
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

export function reportFanout(result) {
  console.log(
    `Engine across hosts — ${STEPS} steps of \`${COMMAND}\` per host, each host its own sshd on 127.0.0.x, through the real CLI; medians of ${result.rounds ?? 0} interleaved rounds`,
  );
  if (result.skipped) {
    console.log(`  skipped: ${result.skipped}`);
    return true;
  }
  const s = result.summary;
  const cpus = os.cpus().length;
  const row = (label, r) => [
    label,
    fmtMs(r.wallMs),
    `${fmtMs(r.minMs)}–${fmtMs(r.maxMs)}`,
    fmtMs(r.cpuMs),
    fmtMs(r.sshdCpuMs),
    fmtMs(r.machineCpuMs),
  ];
  const n = result.hosts;
  console.log(
    table([
      ["  row", "wall", "min–max", "client CPU", "sshd CPU", "machine CPU"],
      row(`  recover, 1 host, ${STEPS} steps`, s.one),
      row(`  recover, ${n} hosts, ${n * STEPS} steps, --parallel ${n}`, s.many),
      row(`  recover, ${n} hosts, --parallel 8 (the default)`, s.manyDefault),
      row(`  bare ssh2, 1 host, ${STEPS} commands`, s.bareOne),
      row(`  bare ssh2, ${n} hosts, ${n * STEPS} commands`, s.bareMany),
    ]),
  );
  const ok = result.manyOverOne <= TARGETS.manyOverOne;
  const bareOk = result.manyOverBare <= TARGETS.manyOverBare;
  // With every host on this machine, all the work shares its CPUs: no client does better than this.
  const floorMs = s.many.machineCpuMs / cpus;
  console.log("Targets");
  console.log(
    table([
      [`  recover: ${n} hosts / 1 host, wall time`, fmtRatio(result.manyOverOne), `≤ ${TARGETS.manyOverOne}×`, ok ? "PASS" : "FAIL"],
      [
        `  the floor, bare ssh2: ${n} hosts / 1 host, wall time`,
        fmtRatio(result.bareManyOverOne),
        "(the same logins and commands, no client work: what these hosts allow)",
        "",
      ],
      [
        `  machine CPU of the ${n}-host run ÷ ${cpus} CPUs / 1 host`,
        fmtRatio(floorMs / s.one.wallMs),
        "(every host's sshd shares these CPUs: no scheduler does better)",
        "",
      ],
      [
        `  ${n} hosts: recover / bare ssh2, wall time`,
        fmtRatio(result.manyOverBare),
        `≤ ${TARGETS.manyOverBare}×`,
        bareOk ? "PASS" : "FAIL",
      ],
    ]),
  );
  const round = (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, ms(v)]));
  console.log(
    `BENCH ${JSON.stringify({
      fanout: {
        rounds: result.rounds,
        hosts: result.hosts,
        steps: STEPS,
        one: round(s.one),
        many: round(s.many),
        manyDefaultParallel: round(s.manyDefault),
        bareOne: round(s.bareOne),
        bareMany: round(s.bareMany),
        manyOverOne: ratio(result.manyOverOne),
        bareManyOverOne: ratio(result.bareManyOverOne),
        machineCpuFloorOverOne: ratio(floorMs / s.one.wallMs),
        manyOverBare: ratio(result.manyOverBare),
        pass: ok && bareOk,
      },
    })}`,
  );
  return ok && bareOk;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const int = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
  console.log(`recover fan-out bench — node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);
  reportFanout(await fanoutBench({ rounds: int("BENCH_FANOUT_ROUNDS", 5), hosts: int("BENCH_FANOUT_HOSTS", 50) }));
}
