// Resume ends what a killed run left running on the host, and only that: the step's processes are
// found by the marker journalled (and synced) before the command started, never by a process group
// number alone, which may belong to another program by then. Real CLI processes, a real sshd host.
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useRunLab } from "./run-lab.js";

const ctx = useRunLab();

const journalOf = (id: string) => path.join(ctx.t.state, "recover", "runs", id, "journal.jsonl");

/** Runs a one-step runbook that sleeps on the host, and kill -9s the CLI once the sleep runs. */
async function killedWhileSleeping(name: string): Promise<{ id: string; sleep: string }> {
  const sleep = ctx.lab.uniqueSleep();
  const rb = await ctx.t.runbook(name, `  - id: s\n    checkpoint: false\n    steps:\n      - {id: slow, sh: "sleep ${sleep}"}\n`);
  const { id, code } = await ctx.t.killedAt([rb], (event) => event.type === "process" && ctx.lab.waitForProcess(sleep).then(() => true));
  expect(code).toBe(-9);
  expect(await ctx.lab.pidsMatching(sleep)).not.toEqual([]);
  return { id, sleep };
}

/** Rewrites the run's journal as the disk would hold it. */
async function rewriteJournal(id: string, edit: (records: Record<string, unknown>[]) => Record<string, unknown>[]) {
  const records = (await readFile(journalOf(id), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  await writeFile(
    journalOf(id),
    `${edit(records)
      .map((r) => JSON.stringify(r))
      .join("\n")}\n`,
  );
}

describe("resume ends a killed run's leftovers on the host", () => {
  it("when the process record never reached the disk (power loss), the marker from the synced start record still finds them", async () => {
    const { id, sleep } = await killedWhileSleeping("power-loss");
    await rewriteJournal(id, (records) => records.filter((r) => r.type !== "process"));
    const resumed = await ctx.t.recover(["resume", id, "--yes", "-o", "plain"]);
    expect(resumed.code).toBe(3);
    expect(resumed.stdout).toContain("step slow was running when the run stopped: its processes on node was ended");
    expect(await eventually(async () => (await ctx.lab.pidsMatching(sleep)).length === 0, 100, 50)).toBe(true);
  });

  it("a process group number that now belongs to another program is left alone", async () => {
    const { id, sleep } = await killedWhileSleeping("recycled-group");
    // The host rebooted: the step's processes are gone, and its group number went to a stranger.
    for (const pid of await ctx.lab.pidsMatching(sleep)) process.kill(pid, "SIGKILL");
    const user = ctx.lab.system.user;
    const [uid, gid] = await Promise.all([execa("id", ["-u", user]), execa("id", ["-g", user])]).then((r) =>
      r.map((x) => Number(x.stdout)),
    );
    const strangerSleep = ctx.lab.uniqueSleep();
    // setsid in a child that is not a group leader: the sleep leads a new group, pgid = its pid.
    const stranger = spawn("setsid", ["sleep", strangerSleep], { uid, gid, stdio: "ignore" });
    try {
      await ctx.lab.waitForProcess(strangerSleep);
      const strangerGroup = stranger.pid as number;
      await rewriteJournal(id, (records) => records.map((r) => (r.type === "process" ? { ...r, pgid: strangerGroup } : r)));
      const resumed = await ctx.t.recover(["resume", id, "--yes", "-o", "plain"]);
      expect(resumed.code).toBe(3);
      expect(resumed.stdout).toContain(
        `step slow was running when the run stopped: its process group ${strangerGroup} on node was already gone`,
      );
      expect(await ctx.lab.pidsMatching(strangerSleep)).toEqual([strangerGroup]);
    } finally {
      stranger.kill("SIGKILL");
    }
  });
});
