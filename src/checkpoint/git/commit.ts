import { type GitContext, gitOutput, literal, runGit } from "./run-git.js";

/**
 * One commit of exactly `paths` (other staged changes of the operator stay out of it), with the
 * operator's git config: author, committer, signing and hooks. Returns the new commit's id.
 * `maybeGone` are files that may have been deleted: staged as deletions when git tracks them.
 */
export async function commitFiles(git: GitContext, paths: string[], maybeGone: string[], message: string): Promise<string> {
  const deleted = maybeGone.length > 0 ? await trackedAmong(git, maybeGone) : [];
  const all = [...paths, ...deleted].map(literal);
  await gitOutput(git, ["add", "--all", "--force", "--", ...all], "staging the checkpoint's files");
  await gitOutput(
    git,
    ["commit", "--quiet", "--allow-empty", "--cleanup=whitespace", "--file=-", "--only", "--", ...all],
    "the checkpoint commit",
    message,
  );
  return (await gitOutput(git, ["rev-parse", "HEAD"], "reading the checkpoint commit's id")).trim();
}

async function trackedAmong(git: GitContext, files: string[]): Promise<string[]> {
  const result = await runGit(git, ["ls-files", "-z", "--", ...files.map(literal)]);
  return result.stdout.split("\0").filter((f) => f !== "");
}
