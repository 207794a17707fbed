import { type GitContext, gitOutput, literal, runGit } from "./run-git.js";

/** The files of one checkpoint: those on disk, those gone (deleted by an edit), and those git is known to track already. */
export interface CommitFiles {
  present: string[];
  gone: string[];
  tracked: ReadonlySet<string>;
}

/**
 * One commit of exactly these files (other staged changes of the operator stay out of it), with
 * the operator's git config: author, committer, signing and hooks. Returns the new commit's id.
 * New files are staged first; tracked ones go straight into `git commit --only`.
 */
export async function commitFiles(git: GitContext, files: CommitFiles, message: string): Promise<string> {
  const added = files.present.filter((f) => !files.tracked.has(f));
  const unknownGone = files.gone.filter((f) => !files.tracked.has(f));
  const gone = [...files.gone.filter((f) => files.tracked.has(f)), ...(unknownGone.length > 0 ? await trackedAmong(git, unknownGone) : [])];
  if (added.length > 0)
    await gitOutput(git, ["add", "--all", "--force", "--", ...added.map(literal)], "staging the checkpoint's new files");
  const summary = await gitOutput(
    git,
    // core.abbrev=no: the summary line names the whole commit id, which saves asking git for it again.
    [
      "-c",
      "core.abbrev=no",
      "commit",
      "--allow-empty",
      "--cleanup=whitespace",
      "--file=-",
      "--only",
      "--",
      ...[...files.present, ...gone].map(literal),
    ],
    "the checkpoint commit",
    message,
  );
  const id = /^\[[^\]\n]* ([0-9a-f]{40,64})\]/m.exec(summary)?.[1];
  return id ?? (await gitOutput(git, ["rev-parse", "HEAD"], "reading the checkpoint commit's id")).trim();
}

async function trackedAmong(git: GitContext, files: string[]): Promise<string[]> {
  const result = await runGit(git, ["ls-files", "-z", "--", ...files.map(literal)]);
  return result.stdout.split("\0").filter((f) => f !== "");
}
