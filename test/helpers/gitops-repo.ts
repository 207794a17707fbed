import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { ROOT } from "./cli.js";

/** git with a fixed identity and no user or system config, so tests behave the same everywhere. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.invalid",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.invalid",
    },
  });
}

export interface GitopsClone {
  /** A clone of the fixture GitOps repository on main, with `origin` a bare repository beside it. */
  dir: string;
  remote: string;
}

/**
 * fixtures/gitops is a folder of this repository, not a repository of its own: this copies it into
 * a temp dir, makes it a Git repository with one commit on main, and gives it a bare `origin`.
 * Removed when the test finishes.
 */
export function gitopsClone(options: { remote?: boolean } = {}): GitopsClone {
  const root = mkdtempSync(join(tmpdir(), "recover-gitops-"));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, "k3s-flux");
  const remote = join(root, "k3s-flux.git");
  cpSync(join(ROOT, "fixtures", "gitops"), dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "k3s-flux");
  if (options.remote !== false) {
    git(root, "init", "-q", "--bare", "-b", "main", remote);
    git(dir, "remote", "add", "origin", remote);
    git(dir, "push", "-q", "origin", "main");
  }
  return { dir, remote };
}
