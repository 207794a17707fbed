// SSH transport: 20 sequential `test -d /tmp` on one lab host (a real sshd on 127.0.0.x) through
// SshTransport, against (a) bare ssh2 exec on a TCP_NODELAY socket — the floor —, (b) an OpenSSH
// ControlMaster loop and (c) ansible-playbook with pipelining. Rounds are interleaved so every
// row sees the same machine noise; medians and ratios are reported. Needs root (it starts sshd and
// may install openssh-server, sudo and ansible-core with apt-get). Run `npm run build` first.
//
//   node bench/ssh-transport.js            prints the table and a BENCH line
//   BENCH_SSH_ROUNDS=N                     rounds per row (default 5)
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import ssh2 from "ssh2";
import { fmtMs, fmtRatio, median, ms, ratio, table } from "./stats.js";

const run = promisify(execFile);
const COMMANDS = 20;
const SAMPLES_PER_ROUND = 4;
const COMMAND = "test -d /tmp";
const DIST = new URL("../dist/", import.meta.url);

export const TARGETS = {
  transportOverBare: 1.3, // median(SshTransport round) / median(bare ssh2 round), cold and warm
  ansibleOverTransport: 10, // median(ansible-playbook) / median(SshTransport), at least
};

async function timed(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

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

async function transportRound(SshTransport, options, transport) {
  const own = transport ?? new SshTransport(options);
  for (let i = 0; i < COMMANDS; i++) {
    const result = await own.exec({ command: { argv: ["test", "-d", "/tmp"] }, readOnly: true });
    if (result.exitCode !== 0) throw new Error(`test -d /tmp exited ${result.exitCode}: ${result.stderr}`);
  }
  if (!transport) await own.close();
}

async function bareRound(host, key, client) {
  const own = client ?? (await bareConnect(host, key));
  for (let i = 0; i < COMMANDS; i++) await bareExec(own, COMMAND);
  if (!client) own.end();
}

async function controlMasterRound(configFile, controlPath) {
  const args = ["-F", configFile, "-o", "ControlMaster=auto", "-o", `ControlPath=${controlPath}`, "-o", "ControlPersist=60"];
  for (let i = 0; i < COMMANDS; i++) await run("ssh", [...args, "bench", COMMAND]);
  // Each round starts cold, like the other rows: the master goes at the end.
  await run("ssh", [...args, "-O", "exit", "bench"]).catch(() => undefined);
}

/** Installs ansible-core with apt-get when root and missing; returns why not when it cannot. */
function ensureAnsible() {
  if (spawnSync("ansible-playbook", ["--version"]).status === 0) return undefined;
  if (process.getuid?.() !== 0) return "ansible-playbook is not installed and this is not root (apt-get install ansible-core)";
  process.stderr.write("bench: installing ansible-core with apt-get for the ansible-playbook row\n");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const apt = (...args) => spawnSync("apt-get", ["-o", "DPkg::Lock::Timeout=300", ...args], { env, encoding: "utf8" });
  const install = apt("install", "-y", "-q", "--no-install-recommends", "ansible-core");
  if (install.status !== 0) {
    apt("update", "-q");
    const retry = apt("install", "-y", "-q", "--no-install-recommends", "ansible-core");
    if (retry.status !== 0) return `apt-get install ansible-core failed: ${(retry.stderr || retry.stdout).trim().split("\n").at(-1)}`;
  }
  return spawnSync("ansible-playbook", ["--version"]).status === 0
    ? undefined
    : "ansible-playbook still not runnable after installing ansible-core";
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
  const env = {
    ...process.env,
    ANSIBLE_PIPELINING: "1",
    ANSIBLE_HOST_KEY_CHECKING: "1",
    ANSIBLE_NOCOLOR: "1",
    ANSIBLE_LOCAL_TEMP: dir,
    ANSIBLE_HOME: dir,
  };
  return {
    round: async () => {
      await run("ansible-playbook", ["-i", inventory, playbook], { env });
      await run("ssh", ["-o", `ControlPath=${dir}/ans-%C`, "-p", String(host.port), "-O", "exit", `${host.user}@${host.address}`]).catch(
        () => undefined,
      );
    },
  };
}

/**
 * Runs the SSH benchmark; returns medians (ms per round of 20 commands) and ratios, or
 * `{ skipped }` when the lab cannot run here.
 * @param {{ rounds?: number }} [options]
 */
export async function sshTransportBench({ rounds = 5 } = {}) {
  if (!existsSync(new URL("transports/ssh/transport.js", DIST))) return { skipped: "dist/ is missing: run `npm run build` first" };
  const { SshTransport } = await import(new URL("transports/ssh/transport.js", DIST).href);
  const { startSshd } = await import(new URL("lab/sshd/server.js", DIST).href);
  const { ensureLabSystem } = await import(new URL("lab/sshd/system-setup.js", DIST).href);
  let system;
  try {
    system = await ensureLabSystem();
  } catch (error) {
    return { skipped: `the SSH lab cannot run here: ${error.message}` };
  }
  const ansibleSkip = ensureAnsible();

  const dir = await mkdtemp(path.join(os.tmpdir(), "recover-bench-ssh-"));
  let server;
  try {
    const keyFile = path.join(dir, "id_bench");
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyFile]);
    const key = await readFile(keyFile);
    server = await startSshd({ authorizedKeys: [await readFile(`${keyFile}.pub`, "utf8")], system });
    const host = { address: server.address, port: server.port, user: system.user };
    const knownHosts = path.join(dir, "known_hosts");
    await writeFile(knownHosts, `${server.knownHostsLines().join("\n")}\n`);
    const configFile = path.join(dir, "ssh_config");
    await writeFile(
      configFile,
      `Host bench\n  HostName ${host.address}\n  Port ${host.port}\n  User ${host.user}\n  IdentityFile ${keyFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts}\n  StrictHostKeyChecking yes\n`,
    );
    const options = { alias: "bench", configFile, env: { HOME: dir, PATH: process.env.PATH } };
    const ansible = ansibleSkip ? undefined : await writeAnsibleFiles(dir, host, keyFile, knownHosts);

    const warmTransport = new SshTransport(options);
    const warmBare = await bareConnect(host, key);
    // The fast rows are sampled SAMPLES_PER_ROUND times per round: their medians then rest on
    // enough samples to shrug off a neighbour's burst on this shared machine.
    const fast = {
      transportCold: () => transportRound(SshTransport, options),
      bareCold: () => bareRound(host, key),
      transportWarm: () => transportRound(SshTransport, options, warmTransport),
      bareWarm: () => bareRound(host, key, warmBare),
    };
    const slow = {
      controlMaster: () => controlMasterRound(configFile, path.join(dir, "cm-%C")),
      ...(ansible ? { ansible: ansible.round } : {}),
    };
    const rows = { ...fast, ...slow };
    const samples = Object.fromEntries(Object.keys(rows).map((k) => [k, []]));
    // One warm-up round each: page cache, JIT, sshd's first fork.
    for (const fn of Object.values(rows)) await fn();
    const fastNames = Object.keys(fast);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < SAMPLES_PER_ROUND; k++) {
        // Rotate the order so no row always runs right after the same other row.
        const shift = r * SAMPLES_PER_ROUND + k;
        for (const name of fastNames.map((_, i) => fastNames[(i + shift) % fastNames.length])) samples[name].push(await timed(fast[name]));
      }
      for (const name of Object.keys(slow)) samples[name].push(await timed(slow[name]));
    }
    await warmTransport.close();
    warmBare.end();

    const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    return {
      rounds,
      commands: COMMANDS,
      medians,
      samples,
      ansibleSkipped: ansibleSkip,
      ratios: {
        coldTransportOverBare: medians.transportCold / medians.bareCold,
        warmTransportOverBare: medians.transportWarm / medians.bareWarm,
        controlMasterOverTransport: medians.controlMaster / medians.transportCold,
        ansibleOverTransport: ansible ? medians.ansible / medians.transportCold : undefined,
      },
    };
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Prints the table and the BENCH line; returns whether every target that ran was met. */
export function reportSshTransport(result) {
  console.log(
    `SSH transport — ${COMMANDS} sequential \`${COMMAND}\` per sample; medians of ${result.rounds * SAMPLES_PER_ROUND} interleaved samples (ControlMaster, ansible: ${result.rounds})`,
  );
  if (result.skipped) {
    console.log(`  skipped: ${result.skipped}`);
    console.log(`BENCH ${JSON.stringify({ sshTransport: { skipped: result.skipped } })}`);
    return true;
  }
  const m = result.medians;
  const r = result.ratios;
  const verdict = (ok) => (ok ? "PASS" : "FAIL");
  const coldOk = r.coldTransportOverBare <= TARGETS.transportOverBare;
  const warmOk = r.warmTransportOverBare <= TARGETS.transportOverBare;
  const ansibleOk = r.ansibleOverTransport === undefined || r.ansibleOverTransport >= TARGETS.ansibleOverTransport;
  console.log(
    table([
      ["  row", "median / sample", "per command", "vs SshTransport (connect included)"],
      ["  SshTransport, connect + 20", fmtMs(m.transportCold), fmtMs(m.transportCold / COMMANDS), ""],
      ["  bare ssh2 + TCP_NODELAY, connect + 20", fmtMs(m.bareCold), fmtMs(m.bareCold / COMMANDS), fmtRatio(m.bareCold / m.transportCold)],
      ["  SshTransport, open connection, 20", fmtMs(m.transportWarm), fmtMs(m.transportWarm / COMMANDS), ""],
      ["  bare ssh2, open connection, 20", fmtMs(m.bareWarm), fmtMs(m.bareWarm / COMMANDS), ""],
      ["  OpenSSH ControlMaster loop", fmtMs(m.controlMaster), fmtMs(m.controlMaster / COMMANDS), fmtRatio(r.controlMasterOverTransport)],
      m.ansible === undefined
        ? ["  ansible-playbook (pipelining)", "skipped", "", result.ansibleSkipped]
        : ["  ansible-playbook (pipelining)", fmtMs(m.ansible), fmtMs(m.ansible / COMMANDS), fmtRatio(r.ansibleOverTransport)],
    ]),
  );
  console.log("Targets");
  console.log(
    table([
      ["  SshTransport / bare ssh2, connect + 20", fmtRatio(r.coldTransportOverBare), `≤ ${TARGETS.transportOverBare}×`, verdict(coldOk)],
      [
        "  SshTransport / bare ssh2, open connection",
        fmtRatio(r.warmTransportOverBare),
        `≤ ${TARGETS.transportOverBare}×`,
        verdict(warmOk),
      ],
      [
        "  ansible-playbook / SshTransport",
        r.ansibleOverTransport === undefined ? "skipped" : fmtRatio(r.ansibleOverTransport),
        `≥ ${TARGETS.ansibleOverTransport}×`,
        r.ansibleOverTransport === undefined ? "" : verdict(ansibleOk),
      ],
    ]),
  );
  const pass = coldOk && warmOk && ansibleOk;
  const round = (o) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === undefined ? null : k.includes("Over") ? ratio(v) : ms(v)]));
  console.log(
    `BENCH ${JSON.stringify({
      sshTransport: {
        rounds: result.rounds,
        commands: result.commands,
        medianMs: round(result.medians),
        ratios: round(result.ratios),
        samplesMs: Object.fromEntries(Object.entries(result.samples).map(([k, v]) => [k, v.map(ms)])),
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
