// What the end-to-end run tests share: real sshd hosts (test/helpers/sshd.ts), runbooks written
// to a temp dir, and the built CLI run as a real process with its own state directory.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { EngineEvent } from "../../src/engine/events.js";
import { BIN, type CliResult, ROOT, runCliAsync } from "../helpers/cli.js";
import { type SshHarness, startSshHarness } from "../helpers/sshd.js";

export interface RunLab {
  /** A folder for this test's runbooks, state and files on the (local) hosts. */
  dir: string;
  state: string;
  env: NodeJS.ProcessEnv;
  /** Writes a runbook whose only target is `node` (ssh k3s1, or `become: sudo` when asked). */
  runbook(name: string, stages: string, extra?: { params?: string; become?: boolean }): Promise<string>;
  recover(args: string[]): Promise<CliResult>;
  /** Starts the CLI with `-o json`; `onEvent` sees each event as it arrives. */
  start(args: string[], onEvent?: (event: EngineEvent, child: ChildProcess) => void): { child: ChildProcess; done: Promise<CliResult> };
  /** Starts the CLI and kill -9s it at the first event `when` holds for (awaited when it is a promise). */
  killedAt(args: string[], when: (event: EngineEvent) => boolean | Promise<boolean>): Promise<{ id: string; code: number }>;
}

let made = 0;

export async function runLab(lab: SshHarness): Promise<RunLab> {
  const dir = path.join(lab.remoteDir, `run-${process.pid}-${++made}`);
  await mkdir(dir, { recursive: true });
  // The lab users write here over ssh.
  await chmod(dir, 0o1777);
  const state = path.join(dir, "state");
  const env = { ...lab.env, XDG_STATE_HOME: state, KUBECACHEDIR: path.join(dir, "kube-cache") };
  const withConfig = (args: string[]) => (args[0] === "runs" || args[0] === "plan" ? args : [...args, "-F", lab.configFile]);
  return {
    dir,
    state,
    env,
    async runbook(name, stages, extra = {}) {
      const file = path.join(dir, `${name}.yaml`);
      const text = [
        "apiVersion: recover/v1",
        "kind: Runbook",
        `metadata: {name: ${name}}`,
        "summary: an end-to-end test runbook",
        "targets:",
        `  node: {ssh: {host: k3s1${extra.become ? ", become: sudo" : ""}}}`,
        ...(extra.params ? ["params:", extra.params] : []),
        "stages:",
        stages,
      ].join("\n");
      await writeFile(file, text);
      return file;
    },
    recover: (args) => runCliAsync(withConfig(args), { env }),
    start,
    async killedAt(args, when) {
      let id = "";
      const { done } = start(args, (event, child) => {
        if (event.type === "run") id = event.runId;
        const now = when(event);
        if (now === true) child.kill("SIGKILL");
        else if (now !== false) void now.then((yes) => yes && child.kill("SIGKILL"));
      });
      const { code } = await done;
      return { id, code };
    },
  };

  function start(args: string[], onEvent?: (event: EngineEvent, child: ChildProcess) => void) {
    const child = spawn(process.execPath, [BIN, ...withConfig(args), "-o", "json"], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", RECOVER_GITOPS: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) onEvent?.(JSON.parse(line) as EngineEvent, child);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const done = new Promise<CliResult>((resolve) =>
      child.on("close", (code, signal) => resolve({ code: code ?? (signal === "SIGKILL" ? -9 : -1), stdout, stderr })),
    );
    return { child, done };
  }
}

/** The JSON events of a finished `-o json` run. */
export const eventsOf = (stdout: string): EngineEvent[] =>
  stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EngineEvent);

/** The states each step went through, in order. */
export const stepStates = (events: EngineEvent[], step: string): string[] =>
  events.flatMap((e) => (e.type === "step" && e.step === step ? [e.state] : []));

/** For a test file: one real sshd host `k3s1` and a RunLab on it, set up before and removed after the file's tests. */
export function useRunLab(): { lab: SshHarness; t: RunLab } {
  const ctx = {} as { lab: SshHarness; t: RunLab };
  beforeAll(async () => {
    ctx.lab = await startSshHarness();
    await ctx.lab.startHost("k3s1");
    ctx.t = await runLab(ctx.lab);
  }, 60_000);
  afterAll(async () => {
    await ctx.lab?.cleanup();
  });
  return ctx;
}

/** The lines of a file on the host; none when it does not exist. */
export const lines = async (file: string): Promise<string[]> => (existsSync(file) ? (await readFile(file, "utf8")).trim().split("\n") : []);
