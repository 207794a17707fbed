/**
 * Which journal `resume --from-git` continues when the state directory already holds one of the
 * run: journals are append-only, so when one is the other plus more, the longer one knows more.
 *
 * - absent: none here; Git's is written.
 * - same: identical; nothing to write.
 * - local-further: the local one is Git's plus what ran after the checkpoint: it is used.
 * - git-further: the local one is older (Git's starts with it): it is kept aside, Git's is used.
 * - diverged: neither continues the other (two machines resumed the run): refused, the operator decides.
 */
export type JournalChoice = "absent" | "same" | "local-further" | "git-further" | "diverged";

export function chooseJournal(local: string | undefined, git: string): JournalChoice {
  if (local === undefined) return "absent";
  if (local === git) return "same";
  if (local.startsWith(git)) return "local-further";
  if (git.startsWith(local)) return "git-further";
  return "diverged";
}
