// SSH transport: 20 sequential `test -d /tmp` on one lab host (a real sshd on 127.0.0.x). Every row
// is a whole process started the same way, `node <row script>` on this very Node binary, and rows
// are interleaved so they all see the same machine noise:
//   recover's SshTransport (bench/ssh-row-recover.js), once with a one-host known_hosts and once
//   with a realistic 2,000-line hashed one (ssh-keygen -H), that one also with RECOVER_CACHE=off
//   (the first login after known_hosts changed: no cache entry for its bytes yet); bare ssh2 on a TCP_NODELAY socket with
//   no host key check — the floor — (bench/bare-ssh2.js); an OpenSSH ControlMaster loop
//   (bench/ssh-row-controlmaster.js); ansible-playbook with pipelining (bench/ssh-row-ansible.js),
//   only when it is installed: the bench installs nothing.
// Each row gives two figures: the whole process, connect included (its wall time, measured here),
// and 20 commands on an open connection (timed inside a second process, after it connected).
// Needs root (it starts sshd). Run `npm run build` first.
//
//   node bench/ssh-transport.js            prints the table and a BENCH line
//   BENCH_SSH_ROUNDS=N                     rounds (default 5)
//   BENCH_SSH_ROWS=transport,bare,…        only these rows (transport, transport2000, transport2000Uncached, bare,
//                                          controlMaster, ansible)
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import ssh2 from "ssh2";
import { ansibleEnv } from "./ansible-env.js";
import { sshLab } from "./ssh-lab.js";
import { fmtMs, fmtRatio, median, ms, ratio, table } from "./stats.js";

const run = promisify(execFile);
const COMMANDS = 20;
/** The fast rows are sampled this many times per round, so their medians shrug off a neighbour's burst. */
const SAMPLES_PER_ROUND = 3;
const COMMAND = "test -d /tmp";
const DIST = new URL("../dist/", import.meta.url);
const script = (name) => fileURLToPath(new URL(name, import.meta.url));
const KNOWN_HOSTS_LINES = 2000;

export const TARGETS = {
  transportOverBare: 1.3, // recover / bare ssh2, whole process (connect included) and on an open connection
  hashedKnownHostsMs: 10, // connect with a 2,000-line hashed known_hosts − with a one-host one, at most
  ansibleOverTransport: 10, // ansible-playbook / recover, whole process, at least
};

export function bareConnect(host, key) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: host.address, port: host.port, noDelay: true });
    sock.once("error", reject);
    sock.once("connect", () => {
      const client = new ssh2.Client();
      client.once("ready", () => resolve(client)).once("error", reject);
      client.connect({ sock, username: host.user, privateKey: key, hostVerifier: () => true });
    });
  });
}

export function bareExec(client, command) {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(err);
      let code;
      channel.on("exit", (c) => {
        code = c;
      });
      channel.on("close", () => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
      channel.resume();
      channel.stderr.resume();
      channel.end();
    });
  });
}

export async function writeAnsibleFiles(dir, host, keyFile, knownHosts) {
  const inventory = path.join(dir, "inventory.ini");
  const playbook = path.join(dir, "playbook.yml");
  await writeFile(
    inventory,
    `bench ansible_host=${host.address} ansible_port=${host.port} ansible_user=${host.user} ansible_ssh_private_key_file=${keyFile} ansible_python_interpreter=/usr/bin/python3 ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o ControlPath=${dir}/ans-%C'\n`,
  );
  const tasks = Array.from(
    { length: COMMANDS },
    (_, i) => `    - name: t${i}\n      ansible.builtin.command: ${COMMAND}\n      changed_when: false\n`,
  ).join("");
  await writeFile(playbook, `- hosts: bench\n  gather_facts: false\n  tasks:\n${tasks}`);
  const env = ansibleEnv(dir);
  return {
    round: async () => {
      await run("ansible-playbook", ["-i", inventory, playbook], { env });
      await run("ssh", ["-o", `ControlPath=${dir}/ans-%C`, "-p", String(host.port), "-O", "exit", `${host.user}@${host.address}`]).catch(
        () => undefined,
      );
    },
  };
}

/** The median of the sample-by-sample differences a[i] − b[i]. */
const pairedDelta = (a, b) => median(a.map((v, i) => v - (b[i] ?? Number.NaN)).filter((d) => !Number.isNaN(d)));

/** Runs one row process; resolves with its wall time and what it printed. */
async function spawnRow(args, env = process.env) {
  const started = performance.now();
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1024 * 1024, env });
  const wallMs = performance.now() - started;
  return { wallMs, ...JSON.parse(stdout.trim().split("\n").at(-1) || "{}") };
}

/**
 * A realistic known_hosts: 2,000 hosts (keys from a small pool) with the bench host's own lines
 * among them, hashed by ssh-keygen -H like a HashKnownHosts file.
 */
async function hashedKnownHosts(file, hostLines, dir) {
  const pool = [];
  for (let i = 0; i < 4; i++) {
    const keyFile = path.join(dir, `pool_${i}`);
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyFile]);
    pool.push((await readFile(`${keyFile}.pub`, "utf8")).split(" ").slice(0, 2).join(" "));
  }
  const lines = Array.from({ length: KNOWN_HOSTS_LINES - hostLines.length }, (_, i) => `node-${i}.example.net ${pool[i % pool.length]}`);
  lines.splice(Math.floor(lines.length * 0.6), 0, ...hostLines);
  await writeFile(file, `${lines.join("\n")}\n`);
  await run("ssh-keygen", ["-H", "-f", file]);
  await rm(`${file}.old`, { force: true });
}

const sshConfig = (host, keyFile, knownHosts) =>
  `Host bench\n  HostName ${host.address}\n  Port ${host.port}\n  User ${host.user}\n  IdentityFile ${keyFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n`;

/**
 * Runs the SSH benchmark; returns medians (ms) per row: `whole` (the process, connect + 20),
 * `connect` (connect + first command, in process) and `warm` (20 commands on an open connection),
 * and ratios; or `{ skipped }` when the lab cannot run here.
 * @param {{ rounds?: number }} [options]
 */
export async function sshTransportBench({ rounds = 5 } = {}) {
  if (!existsSync(new URL("transports/ssh/transport.js", DIST))) return { skipped: "dist/ is missing: run `npm run build` first" };
  const lab = await sshLab();
  if (lab.skipped) return { skipped: lab.skipped };
  const { startSshd, system } = lab;
  const hasAnsible = spawnSync("ansible-playbook", ["--version"]).status === 0;

  const dir = await mkdtemp(path.join(os.tmpdir(), "recover-bench-ssh-"));
  let server;
  try {
    const keyFile = path.join(dir, "id_bench");
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyFile]);
    server = await startSshd({ authorizedKeys: [await readFile(`${keyFile}.pub`, "utf8")], system });
    const host = { address: server.address, port: server.port, user: system.user };
    const knownHosts = path.join(dir, "known_hosts");
    await writeFile(knownHosts, `${server.knownHostsLines().join("\n")}\n`);
    const bigKnownHosts = path.join(dir, "known_hosts_2000");
    await hashedKnownHosts(bigKnownHosts, server.knownHostsLines(), dir);
    const configFile = path.join(dir, "ssh_config");
    await writeFile(configFile, sshConfig(host, keyFile, knownHosts));
    const bigConfigFile = path.join(dir, "ssh_config_2000");
    await writeFile(bigConfigFile, sshConfig(host, keyFile, bigKnownHosts));
    const controlDir = path.join(dir, "cm");
    await mkdir(controlDir);
    if (hasAnsible) await writeAnsibleFiles(dir, host, keyFile, knownHosts);

    const n = String(COMMANDS);
    const rows = {
      transport: (mode) => [script("./ssh-row-recover.js"), configFile, "bench", dir, n, mode],
      transport2000: (mode) => [script("./ssh-row-recover.js"), bigConfigFile, "bench", dir, n, mode],
      transport2000Uncached: (mode) => [script("./ssh-row-recover.js"), bigConfigFile, "bench", dir, n, mode],
      bare: (mode) => [script("./bare-ssh2.js"), host.address, String(host.port), host.user, keyFile, n, COMMAND, mode],
      controlMaster: (mode) => [script("./ssh-row-controlmaster.js"), configFile, "bench", controlDir, n, COMMAND, mode],
      ...(hasAnsible ? { ansible: (mode) => [script("./ssh-row-ansible.js"), dir, host.address, String(host.port), host.user, mode] } : {}),
    };
    const rowEnv = { transport2000Uncached: { ...process.env, RECOVER_CACHE: "off" } };
    const slow = new Set(["controlMaster", "ansible"]);
    // The known_hosts rows run right before or after the one-host row (see pairedDelta).
    const paired = new Set(["transport2000", "transport2000Uncached"]);
    // BENCH_SSH_ROWS=transport,transport2000,bare runs only those rows (for a focused measurement).
    const only = process.env.BENCH_SSH_ROWS?.split(",");
    const names = Object.keys(rows).filter((name) => only === undefined || only.includes(name));
    const samples = Object.fromEntries(names.map((k) => [k, { whole: [], connect: [], warm: [] }]));
    // One warm-up of each: page cache, JIT, sshd's first fork.
    for (const name of names) await spawnRow(rows[name]("cold"), rowEnv[name]);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < SAMPLES_PER_ROUND; k++) {
        // Rotate the order so no row always runs right after the same other row.
        const shift = r * SAMPLES_PER_ROUND + k;
        // The recover rows always run back to back (see pairedDelta); the rest rotate around them.
        const order = names.map((_, i) => names[(i + shift) % names.length]).filter((name) => !paired.has(name));
        const [first, second] = names.filter((name) => paired.has(name));
        const group = (shift % 2 === 0 ? [first, "transport", second] : [second, "transport", first]).filter((x) => x !== undefined);
        const at = order.indexOf("transport");
        if (at === -1) order.push(...group.filter((x) => x !== "transport"));
        else order.splice(at, 1, ...group);
        for (const name of order) {
          if (slow.has(name) && k > 0) continue;
          const cold = await spawnRow(rows[name]("cold"), rowEnv[name]);
          samples[name].whole.push(cold.wallMs);
          if (cold.connectMs !== undefined) samples[name].connect.push(cold.connectMs);
          samples[name].warm.push((await spawnRow(rows[name]("warm"), rowEnv[name])).warmMs);
        }
      }
    }

    const medians = Object.fromEntries(
      names.map((k) => [k, Object.fromEntries(Object.entries(samples[k]).map(([fig, v]) => [fig, v.length > 0 ? median(v) : undefined]))]),
    );
    const m = medians;
    return {
      rounds,
      commands: COMMANDS,
      medians,
      samples,
      ansibleSkipped: hasAnsible ? undefined : "ansible-playbook not installed",
      ratios: {
        wholeTransportOverBare: m.bare && m.transport.whole / m.bare.whole,
        warmTransportOverBare: m.bare && m.transport.warm / m.bare.warm,
        controlMasterOverTransport: m.controlMaster && m.controlMaster.whole / m.transport.whole,
        ansibleOverTransport: m.ansible && m.ansible.whole / m.transport.whole,
      },
      // Paired: the two recover rows run next to each other in every sample, so their difference
      // is taken sample by sample before the median, which cancels most of the machine's drift.
      knownHosts2000: samples.transport2000 && {
        connectDeltaMs: pairedDelta(samples.transport2000.connect, samples.transport.connect),
        wholeDeltaMs: pairedDelta(samples.transport2000.whole, samples.transport.whole),
      },
      knownHosts2000Uncached: samples.transport2000Uncached && {
        connectDeltaMs: pairedDelta(samples.transport2000Uncached.connect, samples.transport.connect),
        wholeDeltaMs: pairedDelta(samples.transport2000Uncached.whole, samples.transport.whole),
      },
    };
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const LABELS = {
  transport: "recover SshTransport",
  transport2000: "recover, 2,000-line hashed known_hosts",
  transport2000Uncached: "recover, 2,000-line hashed, RECOVER_CACHE=off",
  bare: "bare ssh2, no host key check (floor)",
  controlMaster: "OpenSSH ControlMaster loop",
  ansible: "ansible-playbook (pipelining)",
};

/** Prints the table and the BENCH line; returns whether every target that ran was met. */
export function reportSshTransport(result) {
  console.log(
    `SSH transport — ${COMMANDS} sequential \`${COMMAND}\`; every row a whole \`node\` process on ${process.execPath}, rows interleaved; medians of ${(result.rounds ?? 0) * SAMPLES_PER_ROUND} samples (ControlMaster, ansible: ${result.rounds})`,
  );
  if (result.skipped) {
    console.log(`  skipped: ${result.skipped}`);
    console.log(`BENCH ${JSON.stringify({ sshTransport: { skipped: result.skipped } })}`);
    return true;
  }
  const m = result.medians;
  const r = result.ratios;
  const verdict = (ok) => (ok ? "PASS" : "FAIL");
  const cell = (v) => (v === undefined ? "" : fmtMs(v));
  console.log(
    table([
      ["  row", "whole process, connect + 20", "connect + 1 (in process)", "open connection, 20", "whole vs recover"],
      ...Object.keys(LABELS).map((name) =>
        m[name] === undefined
          ? [
              `  ${LABELS[name]}`,
              `skipped: ${name === "ansible" && result.ansibleSkipped ? result.ansibleSkipped : "not run (BENCH_SSH_ROWS)"}`,
              "",
              "",
              "",
            ]
          : [
              `  ${LABELS[name]}`,
              fmtMs(m[name].whole),
              cell(m[name].connect),
              fmtMs(m[name].warm),
              name === "transport" ? "" : fmtRatio(m[name].whole / m.transport.whole),
            ],
      ),
    ]),
  );
  const wholeOk = !(r.wholeTransportOverBare > TARGETS.transportOverBare);
  const warmOk = !(r.warmTransportOverBare > TARGETS.transportOverBare);
  const known = result.knownHosts2000 ?? { connectDeltaMs: Number.NaN, wholeDeltaMs: Number.NaN };
  const knownOk = !(known.connectDeltaMs > TARGETS.hashedKnownHostsMs);
  const show = (v, fmt) => (v === undefined || Number.isNaN(v) ? "not run" : fmt(v));
  const ansibleOk = r.ansibleOverTransport === undefined || r.ansibleOverTransport >= TARGETS.ansibleOverTransport;
  console.log("Targets");
  console.log(
    table([
      [
        "  recover / bare ssh2, whole process",
        show(r.wholeTransportOverBare, fmtRatio),
        `≤ ${TARGETS.transportOverBare}×`,
        verdict(wholeOk),
      ],
      [
        "  recover / bare ssh2, open connection",
        show(r.warmTransportOverBare, fmtRatio),
        `≤ ${TARGETS.transportOverBare}×`,
        verdict(warmOk),
      ],
      [
        "  2,000-line hashed known_hosts − one-host, connect",
        show(known.connectDeltaMs, fmtMs),
        `≤ ${TARGETS.hashedKnownHostsMs} ms, paired (whole process: ${show(known.wholeDeltaMs, fmtMs)})`,
        verdict(knownOk),
      ],
      [
        "  the same, first login after known_hosts changed",
        show(result.knownHosts2000Uncached?.connectDeltaMs, fmtMs),
        `not a target: once per change (RECOVER_CACHE=off; whole process: ${show(result.knownHosts2000Uncached?.wholeDeltaMs, fmtMs)})`,
        "",
      ],
      [
        "  ansible-playbook / recover, whole process",
        r.ansibleOverTransport === undefined ? `skipped: ${result.ansibleSkipped ?? "row not run"}` : fmtRatio(r.ansibleOverTransport),
        `≥ ${TARGETS.ansibleOverTransport}×`,
        r.ansibleOverTransport === undefined ? "" : verdict(ansibleOk),
      ],
    ]),
  );
  const pass = wholeOk && warmOk && knownOk && ansibleOk;
  const round = (o) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === undefined ? null : k.includes("Over") ? ratio(v) : ms(v)]));
  console.log(
    `BENCH ${JSON.stringify({
      sshTransport: {
        rounds: result.rounds,
        commands: result.commands,
        node: process.execPath,
        medianMs: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)])),
        ratios: round(r),
        knownHosts2000Ms: result.knownHosts2000 ? round(result.knownHosts2000) : null,
        knownHosts2000UncachedMs: result.knownHosts2000Uncached ? round(result.knownHosts2000Uncached) : null,
        samplesMs: Object.fromEntries(
          Object.entries(result.samples).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([f, xs]) => [f, xs.map(ms)]))]),
        ),
        ansibleSkipped: result.ansibleSkipped ?? null,
        pass,
      },
    })}`,
  );
  return pass;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const raw = process.env.BENCH_SSH_ROUNDS;
  const rounds = raw ? Number(raw) : 5;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`BENCH_SSH_ROUNDS must be a positive integer, got ${JSON.stringify(raw)}`);
  console.log(`recover ssh bench — node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);
  reportSshTransport(await sshTransportBench({ rounds }));
}
