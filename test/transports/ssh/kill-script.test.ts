import { type ChildProcess, spawn } from "node:child_process";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { isAlive } from "../../../src/lab/sshd/process-tree.js";
import { killScript, parseKillReport, RUN_MARKER } from "../../../src/transports/ssh/kill-script.js";
import { newRunMarker } from "../../../src/transports/ssh/remote-command.js";

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.pid !== undefined) killGroup(child.pid);
});
/** Cleanup after a failed test: the session this test started, by its pid. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Gone already.
  }
}

/** A session leader (like sshd's session) running `script` with the marker set; resolves with its pid = pgid and the pids it printed. */
async function session(script: string, marker: string): Promise<{ pgid: number; pids: number[] }> {
  const child = spawn("setsid", ["sh", "-c", script], {
    env: { ...process.env, [RUN_MARKER]: marker },
    stdio: ["ignore", "pipe", "ignore"],
  });
  started.push(child);
  const text = await new Promise<string>((resolve) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("ready\n")) resolve(out);
    });
  });
  const pids = text
    .split("\n")
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
  return { pgid: pids[0] as number, pids };
}

const run = async (script: string, env: NodeJS.ProcessEnv = {}) =>
  parseKillReport((await execa("sh", ["-c", script], { env: { ...process.env, ...env } })).stdout);

describe("the kill script", () => {
  it("SIGTERM ends a command and its setsid child; one that ignores SIGTERM is left for SIGKILL, which ends it", async () => {
    const marker = newRunMarker();
    const polite = await session(`echo $$; setsid sleep 901 & echo $!; sleep 902 & echo $!; echo ready; wait`, marker);
    expect(await run(killScript("term", [{ marker, pgid: polite.pgid }]))).toEqual(new Map());
    for (const pid of polite.pids) expect(await isAlive(pid)).toBe(false);

    const stubborn = newRunMarker();
    const deaf = await session(`trap '' TERM; echo $$; setsid sleep 903 & echo $!; echo ready; wait`, stubborn);
    const left = await run(killScript("term", [{ marker: stubborn, pgid: deaf.pgid }]));
    expect([...(left.get(stubborn) ?? [])].sort()).toEqual([...deaf.pids].sort());
    expect(await run(killScript("kill", [{ marker: stubborn, pgid: deaf.pgid }]))).toEqual(new Map());
    for (const pid of deaf.pids) expect(await isAlive(pid)).toBe(false);
  });

  it("finds a command's processes by its marker alone when its process group is not known", async () => {
    const marker = newRunMarker();
    const cmd = await session(`echo $$; setsid sleep 904 & echo $!; echo ready; wait`, marker);
    expect(await run(killScript("term", [{ marker }]))).toEqual(new Map());
    for (const pid of cmd.pids) expect(await isAlive(pid)).toBe(false);
  });

  it("never takes itself for a target when its own environment mentions the marker (sudo's SUDO_COMMAND)", async () => {
    const marker = newRunMarker();
    const script = killScript("term", [{ marker }]);
    const result = await execa("sh", ["-c", script], { env: { ...process.env, SUDO_COMMAND: `/bin/sh -c ${script}` }, reject: false });
    expect(result.exitCode).toBe(0);
    expect(parseKillReport(result.stdout)).toEqual(new Map());
  });
});
