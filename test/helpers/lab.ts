import { mkdir, readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";
import { stillRuns } from "../../src/lab/state/process-identity.js";
import { type LabState, readState } from "../../src/lab/state/state-file.js";
import { type CliResult, runCliAsync, runProgram } from "./cli.js";
import { KUBECTL } from "./kube-api.js";

/** A lab brought up through the real CLI for a test file, with the real ssh, kubectl and git pointed at it. */
export interface TestLab {
  dir: string;
  state: LabState;
  /** `lab up`'s output. */
  up: CliResult;
  /** The real OpenSSH client with the lab's ssh config. */
  ssh(node: string, command: string): Promise<CliResult>;
  kubectl(args: string[]): Promise<CliResult>;
  git(args: string[]): Promise<CliResult>;
}

/** Runs `recover lab up --dir DIR ARGS…`; throws with its output when it fails. */
export async function startTestLab(dir: string, args: string[] = []): Promise<TestLab> {
  const up = await runCliAsync(["lab", "up", "--dir", dir, ...args]);
  const state = await readState(dir);
  if (up.code !== 0 || !state) throw new Error(`lab up failed (exit ${up.code}):\n${up.stdout}\n${up.stderr}`);
  const cache = path.join(path.dirname(dir), `${path.basename(dir)}-kube-cache`);
  await mkdir(cache, { recursive: true });
  return {
    dir,
    state,
    up,
    ssh: (node, command) =>
      runProgram("ssh", ["-F", state.facts.sshConfig as string, "-o", "BatchMode=yes", node, command], {
        timeout: 20_000,
        env: { PATH: process.env.PATH },
      }),
    kubectl: (args) =>
      runProgram(KUBECTL, args, {
        timeout: 20_000,
        env: { PATH: process.env.PATH, HOME: path.dirname(cache), KUBECONFIG: state.facts.kubeconfig as string, KUBECACHEDIR: cache },
      }),
    git: (args) =>
      runProgram("git", ["-C", state.facts.gitopsClone as string, ...args], {
        timeout: 20_000,
        env: { PATH: process.env.PATH, HOME: path.join(dir, "home"), GIT_CONFIG_NOSYSTEM: "1" },
      }),
  };
}

/** Every mount table on the machine (each process's, so every namespace's): lines naming `needle`. */
async function mountsMentioning(needle: string): Promise<string[]> {
  const found = new Set<string>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/mountinfo`, "utf8").catch(() => "");
    for (const line of text.split("\n")) if (line.includes(needle)) found.add(line);
  }
  return [...found];
}

/**
 * What a lab left on the machine, checked from the kernel's side (/proc and losetup), not from
 * the lab's own account: processes it recorded, processes in its nodes' namespaces, loop devices
 * over its files, mounts naming its directory (the nodes' overlays do), its claims, its directory.
 */
export async function leftovers(state: LabState): Promise<string[]> {
  const left: string[] = [];
  for (const r of state.resources) {
    if (r.kind === "process" && r.process && (await stillRuns(r.process))) left.push(`process ${r.role} ${r.process.pid}`);
    if (r.kind === "namespace" && r.holder && (await stillRuns(r.holder))) left.push(`holder of ${r.node} ${r.holder.pid}`);
    if (r.kind === "namespace" && r.mntNs) {
      for (const entry of await readdir("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        if ((await readlink(`/proc/${entry}/ns/mnt`).catch(() => "")) !== r.mntNs) continue;
        const labId = (await readFile(`/proc/${entry}/root/etc/recover-lab/lab-id`, "utf8").catch(() => "")).trim();
        if (labId === state.id) left.push(`process ${entry} in ${r.node}'s namespace`);
      }
    }
  }
  const losetup = await runProgram("losetup", ["--list", "--noheadings", "--output", "NAME,BACK-FILE"], {
    env: { PATH: process.env.PATH },
  });
  for (const line of losetup.stdout.split("\n")) if (line.includes(state.dir)) left.push(`loop device ${line.trim()}`);
  for (const line of await mountsMentioning(state.dir)) left.push(`mount ${line}`);
  for (const r of state.resources) {
    if (r.kind !== "claim") continue;
    const owner = await readFile(path.join(r.path, "owner.json"), "utf8").catch(() => "");
    if (owner.includes(state.id)) left.push(`claim ${r.address}`);
  }
  if (await readdir(state.dir).catch(() => undefined)) left.push(`directory ${state.dir}`);
  return left;
}
