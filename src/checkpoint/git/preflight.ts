import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { CheckpointRefusedError } from "../errors.js";
import { type GitContext, literal, runGit } from "./run-git.js";
import { type Upstream, upstreamOf } from "./upstream.js";

export interface PreflightInput {
  /** Files the plan edits, relative to the checkout (already checked to stay inside it). */
  files: string[];
  /** A stage pushes: the branch needs an upstream. */
  needsUpstream: boolean;
  /** The author is injected (--git-author): only a committer may be missing, and then it is the author. */
  authorInjected: boolean;
  /** A resumed run: uncommitted changes in the plan's files are its own and are allowed. */
  allowDirty: boolean;
}

export interface PreflightResult {
  branch: string;
  head: string;
  upstream?: Upstream;
  /** No committer identity is configured: the injected author commits too. */
  committerFromAuthor: boolean;
}

const IN_PROGRESS: [string, string][] = [
  ["MERGE_HEAD", "a merge"],
  ["rebase-merge", "a rebase"],
  ["rebase-apply", "a rebase or git am"],
  ["CHERRY_PICK_HEAD", "a cherry-pick"],
  ["REVERT_HEAD", "a revert"],
  ["BISECT_LOG", "a bisect"],
];

/** Checks, changing nothing, that the checkout can take a run's checkpoints; throws CheckpointRefusedError (exit 3) when not. */
export async function checkoutPreflight(git: GitContext, input: PreflightInput): Promise<PreflightResult> {
  const refuse = (message: string, reason: CheckpointRefusedError["reason"], hint?: string, files: string[] = []) =>
    new CheckpointRefusedError(message, reason, git.dir, files, hint);
  if (!existsSync(git.dir) || !statSync(git.dir).isDirectory())
    throw refuse(`the GitOps checkout ${git.dir} does not exist`, "no-checkout", "pass --gitops DIR, a clone of your GitOps repository");

  const inside = await runGit(git, ["rev-parse", "--is-inside-work-tree", "--absolute-git-dir"]);
  const [isWorkTree, gitDir] = inside.stdout.split("\n");
  if (inside.exitCode !== 0 || isWorkTree !== "true" || !gitDir)
    throw refuse(
      `${git.dir} is not a Git work tree`,
      "not-a-work-tree",
      "checkpoints commit to the GitOps repository: pass --gitops with a clone of it",
    );

  for (const [marker, what] of IN_PROGRESS) {
    if (existsSync(join(gitDir, marker)))
      throw refuse(
        `${what} is in progress in ${git.dir}`,
        "operation-in-progress",
        "finish or abort it (git status says how), then run again",
      );
  }

  const branchResult = await runGit(git, ["symbolic-ref", "-q", "--short", "HEAD"]);
  const branch = branchResult.stdout.trim();
  if (branchResult.exitCode !== 0 || branch === "")
    throw refuse(`HEAD is detached in ${git.dir}`, "detached-head", "check out the branch Flux follows (git switch main), then run again");

  const headResult = await runGit(git, ["rev-parse", "-q", "--verify", "HEAD^{commit}"]);
  const head = headResult.stdout.trim();
  if (headResult.exitCode !== 0 || head === "")
    throw refuse(`branch ${branch} has no commit yet in ${git.dir}`, "no-commit", "clone the GitOps repository, or make a first commit");

  const committerFromAuthor = await checkIdentity(git, input.authorInjected, refuse);
  await checkFiles(git, input, refuse);

  const upstream = input.needsUpstream ? await upstreamOf(git, branch) : undefined;
  if (input.needsUpstream && !upstream)
    throw refuse(
      `branch ${branch} has no upstream to push checkpoints to`,
      "no-upstream",
      `git branch --set-upstream-to=origin/${branch} (or set push: false in the inventory's gitops)`,
    );
  return { branch, head, ...(upstream ? { upstream } : {}), committerFromAuthor };
}

async function checkIdentity(
  git: GitContext,
  authorInjected: boolean,
  refuse: (m: string, r: CheckpointRefusedError["reason"], h?: string) => CheckpointRefusedError,
): Promise<boolean> {
  // useConfigOnly: an identity guessed from the host name (root@localhost) is not an identity.
  const ident = (who: string) => runGit(git, ["-c", "user.useConfigOnly=true", "var", who]).then((r) => r.exitCode === 0);
  const [author, committer] = await Promise.all([ident("GIT_AUTHOR_IDENT"), ident("GIT_COMMITTER_IDENT")]);
  if ((authorInjected || author) && committer) return false;
  if (authorInjected) return true;
  throw refuse(
    `git has no identity to commit checkpoints with in ${git.dir}`,
    "no-identity",
    'git config --global user.name "Your Name" && git config --global user.email you@example.com, or pass --git-author "Name <mail>"',
  );
}

async function checkFiles(
  git: GitContext,
  input: PreflightInput,
  refuse: (m: string, r: CheckpointRefusedError["reason"], h?: string, f?: string[]) => CheckpointRefusedError,
): Promise<void> {
  if (input.files.length === 0) return;
  const status = await runGit(git, [
    "status",
    "--porcelain=v1",
    "-z",
    "--untracked-files=all",
    "--ignored=matching",
    "--",
    ...input.files.map(literal),
  ]);
  if (status.exitCode !== 0) throw refuse(`git status failed in ${git.dir}: ${status.stderr.trim()}`, "not-a-work-tree");
  const entries = parsePorcelain(status.stdout);
  const ignored = entries.filter((e) => e.code === "!!").map((e) => e.file);
  if (ignored.length > 0)
    throw refuse(
      `the plan edits files that git ignores, so no checkpoint could commit them: ${ignored.join(", ")}`,
      "dirty-files",
      "remove them from .gitignore (git check-ignore -v FILE says which rule)",
      ignored,
    );
  const dirty = entries.filter((e) => e.code !== "!!");
  if (dirty.length > 0 && !input.allowDirty)
    throw refuse(
      `uncommitted changes in files the plan edits:\n${dirty.map((e) => `  ${describeState(e.code)}  ${e.file}`).join("\n")}`,
      "dirty-files",
      "commit or stash them (git stash), so that a checkpoint holds only what the run changed",
      dirty.map((e) => e.file),
    );
}

/** `git status --porcelain=v1 -z` entries: a two-letter code and the path (a rename's source is skipped). */
function parsePorcelain(text: string): { code: string; file: string }[] {
  const out: { code: string; file: string }[] = [];
  const parts = text.split("\0");
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i] as string;
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    out.push({ code, file: entry.slice(3) });
    if (code.includes("R") || code.includes("C")) i++;
  }
  return out;
}

function describeState(code: string): string {
  if (code === "??") return "untracked";
  if (code.includes("D")) return "deleted  ";
  if (code.includes("A")) return "added    ";
  if (code[0] !== " " && code[1] === " ") return "staged   ";
  return "modified ";
}
