import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";

/**
 * The environment of every git the lab (and a lab run) starts: HOME and the global config in the
 * lab's directory, no system config, so the operator's own git settings are never read or written.
 */
export function labGitEnv(labDir: string): Record<string, string> {
  const home = path.join(labDir, "home");
  return {
    HOME: home,
    GIT_CONFIG_GLOBAL: path.join(home, ".gitconfig"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
    PATH: process.env.PATH ?? "/usr/bin:/bin",
  };
}

/** The lab's git identity and defaults (the operator committing in a lab run is "recover lab operator"). */
export async function writeLabGitConfig(labDir: string): Promise<void> {
  const env = labGitEnv(labDir);
  await mkdir(env.HOME as string, { recursive: true, mode: 0o700 });
  await writeFile(
    env.GIT_CONFIG_GLOBAL as string,
    "[user]\n\tname = recover lab operator\n\temail = operator@lab.invalid\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
  );
}

/** Runs git with the lab's environment; throws with git's stderr. */
export async function git(labDir: string, cwd: string, args: string[]): Promise<string> {
  const result = await execa("git", args, { cwd, env: labGitEnv(labDir), extendEnv: false, reject: false, stdin: "ignore" });
  if (result.exitCode !== 0)
    throw new Error(`lab: git ${args.join(" ")} (in ${cwd}) exited ${result.exitCode}: ${String(result.stderr).trim()}`);
  return String(result.stdout);
}
