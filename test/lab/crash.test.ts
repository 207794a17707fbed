import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonPidFile } from "../../src/lab/daemon/daemon-files.js";
import { type LabState, readState } from "../../src/lab/state/state-file.js";
import { BIN, ROOT, runCliAsync } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { leftovers } from "../helpers/lab.js";

let tmp: string;
const dirs: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "recover-lab-crash-"));
});

afterAll(async () => {
  for (const dir of dirs) await runCliAsync(["lab", "down", "--dir", dir]);
  await rm(tmp, { recursive: true, force: true });
}, 60_000);

/** Starts `lab up` and kills it and its daemon with SIGKILL once `halfway` holds for the recorded state. */
async function crashUp(name: string, halfway: (state: LabState) => boolean): Promise<LabState> {
  const dir = path.join(tmp, name);
  dirs.push(dir);
  const up: ChildProcess = spawn(process.execPath, [BIN, "lab", "up", "--dir", dir, "--nodes", "2", "--disks", "2"], {
    cwd: ROOT,
    stdio: "ignore",
  });
  let state: LabState | undefined;
  const reached = await eventually(
    async () => {
      state = await readState(dir).catch(() => undefined);
      return state !== undefined && halfway(state);
    },
    400,
    25,
  );
  const daemon = Number((await readFile(daemonPidFile(dir), "utf8").catch(() => "")).trim());
  up.kill("SIGKILL");
  if (daemon > 0) process.kill(daemon, "SIGKILL");
  expect(reached, "the lab never reached the point to crash at").toBe(true);
  return (await readState(dir)) as LabState;
}

describe("a crashed lab up (kill -9 halfway)", () => {
  it("is cleaned by down after its loop devices were attached", async () => {
    const state = await crashUp("after-loops", (s) => s.resources.filter((r) => r.kind === "loop" && r.device).length >= 2);
    expect(state.phase).toBe("starting");
    expect((await leftovers(state)).some((l) => l.startsWith("loop device"))).toBe(true);
    const down = await runCliAsync(["lab", "down", "--dir", state.dir]);
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(state)).toEqual([]);
  }, 60_000);

  it("is cleaned by down after its nodes' sshds started", async () => {
    const state = await crashUp("after-sshd", (s) =>
      s.resources.some((r) => r.kind === "process" && r.role.startsWith("sshd") && r.process),
    );
    const found = await leftovers(state);
    expect(found.some((l) => l.startsWith("loop device"))).toBe(true);
    const down = await runCliAsync(["lab", "down", "--dir", state.dir]);
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(state)).toEqual([]);
  }, 60_000);
});
