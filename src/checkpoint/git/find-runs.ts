import { CheckpointRefusedError } from "../errors.js";
import { journalPath } from "../sourceignore.js";
import { checkpointLog } from "./checkpoint-log.js";
import { type GitContext, runGit, runGitBytes } from "./run-git.js";
import type { CheckpointTrailers } from "./trailers.js";

/** A run as the repository's history records it: its newest checkpoint and the journal committed with it. */
export interface RunInGit extends CheckpointTrailers {
  commit: string;
  /** Committer date of the checkpoint, ISO 8601. */
  date: string;
  /** The journal snapshot (JSON lines, secrets redacted), verbatim. */
  journal: string;
}

/**
 * Runs recorded in the current branch's history, newest first, one per run id (its newest
 * checkpoint, whose journal holds everything before it): for `resume --from-git` and `runs --from-git`.
 */
export async function findRunsInGit(repoDir: string, env: NodeJS.ProcessEnv = process.env): Promise<RunInGit[]> {
  const git: GitContext = { dir: repoDir, env };
  if ((await runGit(git, ["rev-parse", "--git-dir"])).exitCode !== 0)
    throw new CheckpointRefusedError(
      `${repoDir} is not a Git repository`,
      "not-a-work-tree",
      repoDir,
      [],
      "pass --gitops with a clone of your GitOps repository",
    );
  const newest = new Map<string, Omit<RunInGit, "journal">>();
  for (const { commit, trailers, date } of await checkpointLog(git))
    if (!newest.has(trailers.runId)) newest.set(trailers.runId, { ...trailers, commit, date });
  const runs = [...newest.values()];
  const journals = await readBlobs(
    git,
    runs.map((r) => `${r.commit}:${journalPath(r.runId)}`),
  );
  return runs.flatMap((run, i) => {
    const journal = journals[i];
    return journal === undefined ? [] : [{ ...run, journal }];
  });
}

/** The text of each `commit:path` (undefined where missing), read by one `git cat-file --batch`. */
async function readBlobs(git: GitContext, specs: string[]): Promise<(string | undefined)[]> {
  if (specs.length === 0) return [];
  const result = await runGitBytes(git, ["cat-file", "--batch"], `${specs.join("\n")}\n`);
  const out: (string | undefined)[] = [];
  let at = 0;
  const buffer = result.stdout;
  for (let i = 0; i < specs.length; i++) {
    const eol = buffer.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = buffer.subarray(at, eol).toString("utf8");
    at = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      out.push(undefined); // "<spec> missing"
      continue;
    }
    const size = Number(m[2]);
    out.push(m[1] === "blob" ? buffer.subarray(at, at + size).toString("utf8") : undefined);
    at += size + 1;
  }
  return out;
}
