// Confirmations on a real pseudo-terminal (util-linux `script`), as an operator types them.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT } from "../helpers/cli.js";
import { useRunLab } from "./run-lab.js";

const ctx = useRunLab();
let runbook: string;
let log: string;

beforeAll(async () => {
  const { t } = ctx;
  log = path.join(t.dir, "wipe.log");
  runbook = await t.runbook(
    "confirm",
    `  - id: s
    checkpoint: false
    steps:
      - id: wipe
        title: Wipe the data disk
        sh: "echo wiped >> ${log} # wipefs -a /dev/null"
        destructive: {confirm: k3s1, impact: "erases every signature on the disk"}
`,
  );
});

/** Runs the runbook on a pty and types `answer` at the confirmation prompt. */
function runOnTerminal(answer: string, view: "plain" | "text" = "plain"): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, BIN, runbook, "-o", view, "-F", ctx.lab.configFile].map((w) => `'${w}'`).join(" ");
  // A terminal 120 columns wide, as the live view expects one.
  const child = spawn("script", ["-qec", `stty cols 120 rows 40; ${command}`, "/dev/null"], {
    cwd: ROOT,
    env: { ...ctx.t.env, NO_COLOR: "1", TERM: "dumb" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let answered = false;
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (!answered && output.includes('Type "k3s1" to run wipe')) {
      answered = true;
      child.stdin.write(`${answer}\r`);
    }
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

describe("a destructive step on a terminal", () => {
  it("shows target, command, impact and what it read live, then runs once the operator types the word", async () => {
    const result = await runOnTerminal("k3s1");
    expect(result.output).toContain("DESTRUCTIVE  wipe — Wipe the data disk");
    expect(result.output).toContain("target   ssh k3s1");
    expect(result.output).toContain(`command  ssh k3s1: echo wiped >> ${log} # wipefs -a /dev/null`);
    expect(result.output).toContain("impact   erases every signature on the disk");
    expect(result.output).toMatch(/now {6}\(read live just now\)\s+lsblk: \/dev\/null: not a block device/);
    expect(result.code).toBe(0);
    expect((await readFile(log, "utf8")).trim()).toBe("wiped");
  });

  it("the live view (listr) asks the same question inside its drawing, and runs the step on the right word", async () => {
    const before = (await readFile(log, "utf8")).trim().split("\n").length;
    const result = await runOnTerminal("k3s1", "text");
    expect(result.output).toContain("DESTRUCTIVE  wipe — Wipe the data disk");
    expect(result.output).toContain("Stage 1/1  s");
    expect(result.code).toBe(0);
    expect((await readFile(log, "utf8")).trim().split("\n")).toHaveLength(before + 1);
  });

  it("any other word refuses: the step does not run and nothing changed (exit 3)", async () => {
    const before = existsSync(log) ? await readFile(log, "utf8") : "";
    const result = await runOnTerminal("k3s2");
    expect(result.code).toBe(3);
    expect(result.output).toContain('the operator did not type "k3s1"; wipe was not run');
    expect(existsSync(log) ? await readFile(log, "utf8") : "").toBe(before);
  });
});
