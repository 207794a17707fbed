import { execa } from "execa";
import { CheckpointRefusedError, GitCommandError } from "../errors.js";

/** Where and how git runs: the checkout, and the environment (the operator's, plus an injected author). */
export interface GitContext {
  dir: string;
  env: NodeJS.ProcessEnv;
}

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `git` with an argv (never a shell) in the checkout; resolves whatever its exit code. */
export async function runGit(git: GitContext, args: string[], input?: string): Promise<GitResult> {
  const result = await execa("git", args, {
    cwd: git.dir,
    env: git.env,
    extendEnv: false,
    input: input ?? "",
    reject: false,
    stripFinalNewline: false,
  });
  if (result.exitCode === undefined) {
    if ((result as { code?: string }).code === "ENOENT")
      throw new CheckpointRefusedError(
        "git is not installed (not found on PATH)",
        "no-git",
        git.dir,
        [],
        "install git (apt-get install git)",
      );
    throw new GitCommandError(`git ${args[0]} did not finish: ${result.message}`, git.dir, args, undefined, "");
  }
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Runs git for output that is read by byte counts (`cat-file --batch`). */
export async function runGitBytes(git: GitContext, args: string[], input: string): Promise<{ exitCode: number; stdout: Buffer }> {
  const result = await execa("git", args, { cwd: git.dir, env: git.env, extendEnv: false, input, reject: false, encoding: "buffer" });
  return { exitCode: result.exitCode ?? -1, stdout: Buffer.from(result.stdout) };
}

/** Runs git and returns its stdout; a non-zero exit throws a GitCommandError saying `what` failed, with git's stderr. */
export async function gitOutput(git: GitContext, args: string[], what: string, input?: string): Promise<string> {
  const result = await runGit(git, args, input);
  if (result.exitCode !== 0) throw commandError(git, args, what, result);
  return result.stdout;
}

export function commandError(git: GitContext, args: string[], what: string, result: GitResult): GitCommandError {
  const tail = lastLines(result.stderr || result.stdout, 12);
  return new GitCommandError(
    `${what} failed in ${git.dir}: git ${args.join(" ")} exited ${result.exitCode}${tail ? `\n${indent(tail)}` : ""}`,
    git.dir,
    args,
    result.exitCode,
    tail,
  );
}

/** `:(literal)path`, so a file name holding `*` or `[` is never read as a pattern (without setting it for hooks). */
export function literal(path: string): string {
  return `:(literal)${path}`;
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
