import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAB_SSH_USER } from "../../src/lab/sshd/lab-users.js";
import { BIN, ROOT, runCliAsync, runProgram } from "../helpers/cli.js";

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "recover-lab-input-"));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("recover lab up refuses before it builds anything (exit 2)", () => {
  it("without root, printing the exact command to run", async () => {
    const dir = path.join(tmp, "nonroot");
    const run = await runProgram("sudo", ["-n", "-u", LAB_SSH_USER, "env", "HOME=/tmp", process.execPath, BIN, "lab", "up", "--dir", dir], {
      cwd: ROOT,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`recover lab needs root`);
    expect(run.stderr).toContain(`  run: sudo recover lab up --dir ${dir}\n`);
    expect(existsSync(dir)).toBe(false);
  });

  it("a drill without root says so once, before any lab or report (exit 2)", async () => {
    const reports = path.join(tmp, "drill-reports");
    const run = await runProgram(
      "sudo",
      ["-n", "-u", LAB_SSH_USER, "env", "HOME=/tmp", process.execPath, BIN, "drill", "longhorn-node", "k3s1", "--reports", reports],
      { cwd: ROOT },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("recover lab needs root");
    expect(run.stderr).toContain("  run: sudo recover drill longhorn-node k3s1\n");
    expect(existsSync(reports)).toBe(false);
  });

  it.each([
    [["--nodes", "12"], "--nodes 12: expected a whole number from 1 to 9"],
    [["--version", "1.4.0"], "--version 1.4.0: recover has no Longhorn CRDs for 1.4.x up to 1.4.0"],
    [["--fault", "meteor=k3s1"], 'no fault "meteor"'],
  ])("bad flags %j", async (args, message) => {
    const dir = path.join(tmp, "flags");
    const run = await runCliAsync(["lab", "up", "--dir", dir, ...args]);
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining(message)]);
    expect(existsSync(dir)).toBe(false);
  });

  it("a directory that holds something else, or lies where nodes overlay", async () => {
    const full = path.join(tmp, "full");
    await mkdir(full);
    await writeFile(path.join(full, "notes.txt"), "mine");
    const run = await runCliAsync(["lab", "up", "--dir", full]);
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining(`${full} is not empty and holds no lab`)]);
    const etc = await runCliAsync(["lab", "up", "--dir", "/etc/recover-lab-test"]);
    expect([etc.code, etc.stderr]).toEqual([2, expect.stringContaining("it lies under /etc, which each lab node overlays")]);
  });

  it("down on a directory without a lab touches nothing", async () => {
    const full = path.join(tmp, "full");
    const run = await runCliAsync(["lab", "down", "--dir", full]);
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining("holds no lab (no state.json): nothing was touched")]);
    expect(existsSync(path.join(full, "notes.txt"))).toBe(true);
  });
});
