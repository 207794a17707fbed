import { randomBytes } from "node:crypto";
import { open, readFile, rename } from "node:fs/promises";
import path from "node:path";
import type { ProcessIdentity } from "./process-identity.js";

/** Version of state.json's shape; a lab written by another version is refused, not guessed at. */
export const STATE_VERSION = 1;
export const STATE_FILE = "state.json";

/** Where a lab is in its life: `down` cleans up whatever the phase. */
export type LabPhase = "starting" | "up" | "failed" | "stopping";

/**
 * One thing the lab creates on the machine, recorded before it is created (so `down` can find it
 * after a crash) and completed once it exists.
 */
export type LabResource =
  /** A 127.0.0.x address this lab holds (a directory under the machine-wide claims folder). */
  | { kind: "claim"; id: string; address: string; path: string }
  /** A loop device over one of the lab's sparse files; `device` is known once attached. */
  | { kind: "loop"; id: string; backingFile: string; device?: string }
  /** A process the lab started; `pidFile` is written by the process itself, before anything else. */
  | { kind: "process"; id: string; role: string; pidFile?: string; process?: ProcessIdentity }
  /** A node's namespaces, alive while its holder (or any process in them) runs. */
  | { kind: "namespace"; id: string; node: string; holder?: ProcessIdentity; mntNs?: string }
  /** An empty directory made on the host to mount on (e.g. /dev/disk where there is no udev). */
  | { kind: "host-dir"; id: string; path: string };

/** A node as built: how to reach it and which loop device backs each disk. */
export interface NodeFacts {
  name: string;
  address: string;
  sshPort: number;
  disks: { name: string; byId: string; loop: string; sizeBytes: number; mount: string }[];
}

/** What `lab up` built, for `status`, `--lab` and the daemon. */
export interface LabFacts {
  nodes?: NodeFacts[];
  /** The emulator's URL and the kubeconfig pointing at it. */
  apiUrl?: string;
  kubeconfig?: string;
  sshConfig?: string;
  knownHosts?: string;
  gitopsClone?: string;
  gitRemote?: string;
  inventory?: string;
  /** The daemon's control socket (faults, status). */
  controlSocket?: string;
}

export interface LabState {
  version: number;
  /** Random, so two labs (and their claims) are never confused. */
  id: string;
  dir: string;
  phase: LabPhase;
  /** Why the lab failed to come up, for status. */
  error?: string;
  createdAt: string;
  options: { nodes: number; disks: number; version: string; speed: number };
  resources: LabResource[];
  facts: LabFacts;
}

export function newLabId(): string {
  return randomBytes(4).toString("hex");
}

export const statePath = (dir: string): string => path.join(dir, STATE_FILE);

/** Reads DIR/state.json; undefined when there is none. Throws on a file that is not a lab's state. */
export async function readState(dir: string): Promise<LabState | undefined> {
  const text = await readFile(statePath(dir), "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  let state: LabState;
  try {
    state = JSON.parse(text) as LabState;
  } catch (error) {
    throw new Error(`${statePath(dir)} is not valid JSON (${(error as Error).message})`);
  }
  if (state.version !== STATE_VERSION || !Array.isArray(state.resources))
    throw new Error(`${statePath(dir)} was not written by this version of recover's lab (version ${String(state.version)})`);
  return state;
}

/** Writes state.json so that a crash leaves either the old or the new file, never half of one (write, fsync, rename, fsync dir). */
export async function writeState(state: LabState): Promise<void> {
  const file = statePath(state.dir);
  const staged = `${file}.${process.pid}.tmp`;
  const handle = await open(staged, "w", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(staged, file);
  const dir = await open(state.dir, "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
