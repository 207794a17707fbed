import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { findRunsInGit } from "../../checkpoint/git/find-runs.js";
import { checkpointLabel, pickRunToResume } from "../../checkpoint/git/pick-run.js";
import { RefusedError } from "../../engine/errors.js";
import { journalPath, stateDir } from "../../engine/state-dir.js";
import { findRunbookFile } from "../../runbook/registry.js";
import { chooseJournal } from "./journal-choice.js";
import { gitopsDir } from "./prepare.js";
import { relocateJournal } from "./relocate-journal.js";
import { type ResumeOptions, resumeCommand } from "./resume.js";

/**
 * `recover resume --from-git [RUN_ID]`: the operator's machine is lost; in a fresh clone (or after
 * `git fetch`) the run is found from its checkpoint commits, its journal snapshot goes into the state
 * directory (a local journal of the run is never silently replaced: see chooseJournal), and the
 * engine's resume continues it under the same rules as a local resume.
 */
export async function resumeFromGitCommand(runId: string | undefined, opts: ResumeOptions & { gitops?: string }): Promise<number> {
  const dir = gitopsDir(opts.gitops) ?? ".";
  const run = pickRunToResume(await findRunsInGit(dir), runId, dir);
  const notice = (message: string) => process.stderr.write(`recover: ${message}\n`);
  const checkout = resolve(dir);
  const relocated = relocateJournal(run.journal, checkout, (name) => findRunbookFile(name, checkout), existsSync);
  const file = journalPath(stateDir(opts.stateDir, process.env), run.runId);
  const local = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  const choice = chooseJournal(local, relocated.text);
  const fromGit = `the journal of run ${run.runId} from Git as of ${checkpointLabel(run)} in ${dir}`;
  if (choice === "diverged")
    throw new RefusedError(
      `${fromGit} and the local journal ${file} disagree: neither continues the other (was the run resumed on two machines?); nothing was run\n  to continue the local one: recover resume ${run.runId}\n  to continue Git's: move ${file} aside, then recover resume --from-git ${run.runId}`,
    );
  if (choice === "local-further") {
    notice(`found ${fromGit}; this machine's journal ${file} goes further: resuming from it, as recover resume ${run.runId} would`);
    return resumeCommand(run.runId, opts);
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (choice === "git-further") {
    renameSync(file, `${file}.before-from-git`);
    notice(`this machine's journal of run ${run.runId} is older than Git's: kept as ${file}.before-from-git`);
  }
  if (choice !== "same") writeFileSync(file, relocated.text, { mode: 0o600 });
  if (relocated.moved) notice(`the checkout moved from ${relocated.moved.from} to ${relocated.moved.to}: the journal's paths follow it`);
  notice(
    `resuming ${fromGit}; steps after that may have run on the lost machine: each runs again through its skipIf and guards; destructive ones ask again${opts.yes ? " (--yes answers them)" : ""}`,
  );
  return resumeCommand(run.runId, opts);
}
