import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach } from "vitest";
import { ROOT } from "../helpers/cli.js";

export const FIXTURE_GITOPS = join(ROOT, "fixtures", "gitops");
export const IDENTITY = { name: "Recover Test", email: "recover-test@example.invalid" };

/**
 * A GitOps repository for one test: a bare remote and a clone of it (branch main tracking
 * origin/main), with git's global config and HOME in the sandbox so the machine's are never read or written.
 */
export interface GitSandbox {
  root: string;
  remote: string;
  work: string;
  /** The environment every git (and the code under test) runs with. */
  env: NodeJS.ProcessEnv;
  /** Runs git with an argv in `cwd` (default: the clone); returns stdout, throws on a non-zero exit. */
  git(args: string[], cwd?: string): string;
  /** Another clone of the remote, e.g. a teammate's or a fresh machine's. */
  clone(name: string): string;
  write(file: string, text: string, cwd?: string): void;
  cleanup(): void;
}

export function gitSandbox(options: { identity?: boolean; files?: Record<string, string>; fixture?: boolean } = {}): GitSandbox {
  const root = mkdtempSync(join(tmpdir(), "recover-checkpoint-"));
  const home = join(root, "home");
  mkdirSync(home);
  const globalConfig = join(home, ".gitconfig");
  const identity = options.identity === false ? "" : `[user]\n\tname = ${IDENTITY.name}\n\temail = ${IDENTITY.email}\n`;
  writeFileSync(globalConfig, `${identity}[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
  };
  const git = (args: string[], cwd = work) => execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const remote = join(root, "remote.git");
  const work = join(root, "work");
  git(["init", "--quiet", "--bare", remote], root);
  const seed = join(root, "seed");
  mkdirSync(seed);
  git(["init", "--quiet", "-b", "main"], seed);
  if (options.fixture !== false) cpSync(FIXTURE_GITOPS, seed, { recursive: true });
  for (const [file, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(seed, file)), { recursive: true });
    writeFileSync(join(seed, file), text);
  }
  const as = ["-c", `user.name=${IDENTITY.name}`, "-c", `user.email=${IDENTITY.email}`];
  git(["add", "-A"], seed);
  git([...as, "commit", "--quiet", "--allow-empty", "-m", "GitOps repository"], seed);
  git(["push", "--quiet", remote, "main"], seed);
  rmSync(seed, { recursive: true, force: true });
  git(["clone", "--quiet", remote, work], root);
  return {
    root,
    remote,
    work,
    env,
    git,
    clone(name) {
      const dir = join(root, name);
      git(["clone", "--quiet", remote, dir], root);
      if (options.identity === false) {
        git(["config", "user.name", "Teammate"], dir);
        git(["config", "user.email", "teammate@example.invalid"], dir);
      }
      return dir;
    },
    write(file, text, cwd = work) {
      mkdirSync(dirname(join(cwd, file)), { recursive: true });
      writeFileSync(join(cwd, file), text);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A sandbox per test: call the returned function in a test; the sandbox is removed after it, also when it fails. */
export function sandboxPerTest(): (options?: Parameters<typeof gitSandbox>[0]) => GitSandbox {
  let current: GitSandbox | undefined;
  afterEach(() => {
    current?.cleanup();
    current = undefined;
  });
  return (options) => {
    current = gitSandbox(options);
    return current;
  };
}

/** Runs `fn` with a temp directory that is not in any Git repository, and git's config kept in it. */
export async function inPlainDirectory(fn: (dir: string, env: NodeJS.ProcessEnv) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "recover-not-git-"));
  try {
    await fn(dir, {
      PATH: process.env.PATH,
      HOME: dir,
      GIT_CONFIG_GLOBAL: join(dir, "gitconfig"),
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CEILING_DIRECTORIES: tmpdir(),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
