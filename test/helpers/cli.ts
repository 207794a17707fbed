import { type ExecFileOptions, execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/recover.js", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** This process's environment without colour or a GitOps checkout, plus `extra`. */
const cliEnv = (extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...process.env, NO_COLOR: "1", RECOVER_GITOPS: "", ...extra });

/** Runs the built CLI as an operator would, in a real child process. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cliEnv(options.env),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Like runCli, without blocking this process: for tests whose servers (the kube-api emulator) run in it. */
export function runCliAsync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return runProgram(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cliEnv(options.env),
  });
}

/** Runs a program with an argv (no shell) without blocking; resolves with its exit code (-1 when killed) and output, never rejects. */
export function runProgram(file: string, args: string[], options: ExecFileOptions & { input?: string }): Promise<CliResult> {
  const { input, ...execOptions } = options;
  return new Promise((resolve) => {
    const child = execFile(file, args, { ...execOptions, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
