import { type GitContext, runGit } from "./run-git.js";

/** Where a branch pushes: the remote's name (or URL) and the branch there (`refs/heads/main`). */
export interface Upstream {
  remote: string;
  ref: string;
}

/** The branch's upstream as `git push` with no arguments would use it, or undefined when none is set. */
export async function upstreamOf(git: GitContext, branch: string): Promise<Upstream | undefined> {
  const result = await runGit(git, ["for-each-ref", "--format=%(upstream:remotename)%00%(upstream:remoteref)", `refs/heads/${branch}`]);
  const [remote, ref] = result.stdout.replace(/\n$/, "").split("\0");
  if (result.exitCode !== 0 || !remote || !ref) return undefined;
  return { remote, ref };
}

/** `main` for `refs/heads/main`. */
export function shortRef(ref: string): string {
  return ref.replace(/^refs\/heads\//, "");
}

/** The checked-out branch, or undefined when HEAD is detached. */
export async function currentBranch(git: GitContext): Promise<string | undefined> {
  const result = await runGit(git, ["symbolic-ref", "-q", "--short", "HEAD"]);
  const branch = result.stdout.trim();
  return result.exitCode === 0 && branch !== "" ? branch : undefined;
}

/** True when the branch's remote-tracking ref (as of the last fetch or push) holds the commit. */
export async function upstreamHas(git: GitContext, branch: string, commit: string): Promise<boolean> {
  return (await runGit(git, ["merge-base", "--is-ancestor", commit, `refs/heads/${branch}@{upstream}`])).exitCode === 0;
}
