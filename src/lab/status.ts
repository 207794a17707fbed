import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";
import { callControl } from "./daemon/control-server.js";
import { DAEMON_ID } from "./daemon/daemon-files.js";
import type { LiveStatus } from "./daemon/status-route.js";
import { resolveLabDir } from "./paths.js";
import { stillRuns } from "./state/process-identity.js";
import { type LabState, readState } from "./state/state-file.js";

/** Everything `lab status` shows: the recorded state, what of it still runs, and the daemon's live view when it answers. */
export interface LabStatus {
  state: LabState;
  /** By resource id: whether the recorded process (or namespace holder) still runs. */
  running: Map<string, boolean>;
  /** By node: its mounts as the node sees them (mount point → source). */
  mounts: Map<string, Map<string, string>>;
  live?: LiveStatus;
  liveError?: string;
}

async function nodeMounts(holderPid: number): Promise<Map<string, string>> {
  const text = await readFile(`/proc/${holderPid}/mountinfo`, "utf8").catch(() => "");
  const mounts = new Map<string, string>();
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    const dash = fields.indexOf("-");
    const target = fields[4] ?? "";
    if (target.startsWith("/mnt/longhorn/")) mounts.set(target, fields[dash + 2] ?? "");
  }
  return mounts;
}

export async function labStatus(dirOption: string | undefined): Promise<LabStatus> {
  const dir = resolveLabDir(dirOption);
  const state = await readState(dir);
  if (!state) throw new InputError(`no lab in ${dir}`, `start one with: recover lab up${dirOption ? ` --dir ${dir}` : ""}`);
  const running = new Map<string, boolean>();
  const mounts = new Map<string, Map<string, string>>();
  for (const r of state.resources) {
    if (r.kind === "process" && r.process) running.set(r.id, await stillRuns(r.process));
    if (r.kind === "namespace" && r.holder) {
      const alive = await stillRuns(r.holder);
      running.set(r.id, alive);
      if (alive) mounts.set(r.node, await nodeMounts(r.holder.pid));
    }
  }
  const status: LabStatus = { state, running, mounts };
  if (state.facts.controlSocket && running.get(DAEMON_ID)) {
    try {
      status.live = (await callControl(state.facts.controlSocket, "GET", "/status")) as LiveStatus;
    } catch (error) {
      status.liveError = (error as Error).message;
    }
  }
  return status;
}
