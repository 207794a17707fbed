import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, open, readdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { InputError, InternalError, RecoverError } from "../errors.js";
import { crdFilesFor } from "./cluster/crd-files.js";
import { DAEMON_ENTRY, DAEMON_ID, daemonPidFile, labLogPath } from "./daemon/daemon-files.js";
import { ensureLabNeeds, requireRoot } from "./host/needs.js";
import { type LabOptions, parseLabOptions } from "./model/lab-options.js";
import { labDirProblem } from "./node/node-layout.js";
import { resolveLabDir } from "./paths.js";
import { stillRuns } from "./state/process-identity.js";
import { StateRecorder } from "./state/recorder.js";
import { type LabState, newLabId, readState, STATE_VERSION } from "./state/state-file.js";
import { teardown } from "./teardown.js";

/** The lab did not come up; it was torn down again. The message ends with the daemon's log. */
export class LabUpError extends RecoverError {}

export interface UpInput {
  dir?: string;
  nodes?: string;
  disks?: string;
  version?: string;
  speed?: string;
  /** What the operator typed, to repeat under sudo when not root. */
  commandLine: string;
  /** Progress lines (what is being built). */
  log: (line: string) => void;
}

/** Refuses a directory holding anything but a lab (never overwrite an operator's files) or a lab that is already there. */
async function checkDir(dir: string): Promise<void> {
  const problem = labDirProblem(dir);
  if (problem) throw new InputError(`lab directory ${dir}: ${problem}`, "pass --dir with another directory");
  const existing = await readState(dir).catch((error: Error) => {
    throw new InputError(`lab directory ${dir}: ${error.message}`, "pass --dir with another directory");
  });
  if (existing)
    throw new InputError(
      `a lab is already in ${dir} (${existing.phase})`,
      `see it with: recover lab status --dir ${dir}; remove it with: recover lab down --dir ${dir}`,
    );
  if (existsSync(dir) && (await readdir(dir)).length > 0)
    throw new InputError(`${dir} is not empty and holds no lab`, "pass --dir with a new or empty directory");
}

function spawnDaemon(dir: string, logFd: number): void {
  if (!existsSync(DAEMON_ENTRY)) throw new InternalError(`the lab daemon ${DAEMON_ENTRY} is not built: run npm run build`);
  // The daemon writes its own pid before anything else, so `down` finds it even if `up` dies right after spawning it.
  const child = spawn(
    "/bin/sh",
    ["-c", 'echo $$ > "$1" && exec "$2" "$3" "$4"', "recover-lab-daemon", daemonPidFile(dir), process.execPath, DAEMON_ENTRY, dir],
    {
      detached: true,
      stdio: ["ignore", logFd, logFd],
    },
  );
  child.unref();
}

/** Relays the daemon's log lines (without timestamps) from `offset`; returns the new offset. */
async function relay(file: string, offset: number, log: (line: string) => void): Promise<number> {
  const text = await readFile(file, "utf8").catch(() => "");
  const end = text.lastIndexOf("\n") + 1;
  if (end <= offset) return offset;
  for (const line of text.slice(offset, end).split("\n").filter(Boolean)) log(line.replace(/^\S+Z /, ""));
  return end;
}

async function waitUntilUp(dir: string, log: (line: string) => void): Promise<LabState> {
  let offset = 0;
  for (;;) {
    await sleep(100);
    offset = await relay(labLogPath(dir), offset, log);
    const state = await readState(dir);
    if (!state) throw new InternalError(`${dir}/state.json disappeared while the lab was starting`);
    if (state.phase === "up" || state.phase === "failed") return state;
    const daemon = state.resources.find((r) => r.id === DAEMON_ID);
    if (daemon?.kind === "process" && daemon.process && !(await stillRuns(daemon.process)))
      return { ...state, phase: "failed", error: state.error ?? "the lab daemon exited while building the lab" };
  }
}

/**
 * `recover lab up`: checks the machine (root, packages), records the lab in DIR/state.json and
 * starts its daemon, which builds everything; resolves once the lab is up. A lab that fails to
 * come up is torn down again (LabUpError).
 */
export async function labUp(input: UpInput): Promise<LabState> {
  const options: LabOptions = parseLabOptions(input);
  crdFilesFor(options.version);
  const dir = resolveLabDir(input.dir);
  requireRoot(input.commandLine);
  await checkDir(dir);
  await ensureLabNeeds({ commandLine: input.commandLine, log: input.log });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const recorder = await StateRecorder.create({
    version: STATE_VERSION,
    id: newLabId(),
    dir,
    phase: "starting",
    createdAt: new Date().toISOString(),
    options,
    resources: [],
    facts: {},
  });
  await recorder.record({ kind: "process", id: DAEMON_ID, role: "daemon", pidFile: daemonPidFile(dir) });
  const logFile = await open(labLogPath(dir), "a", 0o600);
  try {
    spawnDaemon(dir, logFile.fd);
  } finally {
    await logFile.close();
  }
  const state = await waitUntilUp(dir, input.log);
  if (state.phase === "up") return state;
  const log = await readFile(labLogPath(dir), "utf8").catch(() => "");
  const report = await teardown(state);
  const left = report.leftovers.length > 0 ? `\nnot cleaned up (run recover lab down --dir ${dir}): ${report.leftovers.join("; ")}` : "";
  throw new LabUpError(
    `the lab did not come up: ${state.error ?? "unknown error"}\nits log ends with:\n${log.trim().split("\n").slice(-12).join("\n")}${left}`,
  );
}
