import { PushConflictError, PushError } from "../errors.js";
import { type GitContext, type GitResult, gitOutput, runGit } from "./run-git.js";
import { shortRef, type Upstream } from "./upstream.js";

/** How hard to try: network failures are retried `attempts` times in all, waiting `delaysMs[i]` after attempt i+1. */
export interface RetryPolicy {
  attempts: number;
  delaysMs: number[];
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  delaysMs: [1_000, 4_000],
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PushInput {
  branch: string;
  upstream: Upstream;
  /** Files the run changes (a trailing `/` names a folder): incoming commits that touch one stop the run. */
  runFiles: string[];
  retry: RetryPolicy;
}

type Attempt = { ok: true } | { ok: false; rejected: "non-fast-forward" | "other"; detail: string };

/** A network failure (anything but an answer from the remote): worth trying again. */
class Unreachable extends Error {
  constructor(readonly result: GitResult) {
    super(result.stderr.trim() || `git exited ${result.exitCode}`);
  }
}

const MAX_REBASE_ROUNDS = 3;

/**
 * Pushes the branch to its upstream. Rejected as non-fast-forward: fetches, and when the incoming
 * commits touch none of the run's files rebases onto them and pushes again; when they do, stops
 * with both commit ids, the local commit kept. Returns the pushed commit (new after a rebase).
 */
export async function pushCheckpoint(git: GitContext, input: PushInput): Promise<{ commit: string; rebased: boolean }> {
  const { upstream, branch } = input;
  const where = `${upstream.remote} ${shortRef(upstream.ref)}`;
  let rebased = false;
  for (let round = 1; ; round++) {
    const local = await head(git);
    const attempt = await retried(input, local, "push", () => pushOnce(git, branch, upstream));
    if (attempt.ok) return { commit: local, rebased };
    if (attempt.rejected === "other")
      throw new PushError(
        `the remote refused checkpoint ${local} (${where}): ${attempt.detail}. It is committed locally on ${branch}, nothing is lost; fix the cause and push it (git push), then resume`,
        local,
        upstream.remote,
        branch,
        1,
        attempt.detail,
      );
    if (round > MAX_REBASE_ROUNDS)
      throw new PushError(
        `${where} kept moving while checkpoint ${local} was rebased onto it ${MAX_REBASE_ROUNDS} times; it is committed locally on ${branch}: pull --rebase and push by hand, then resume`,
        local,
        upstream.remote,
        branch,
        round,
        attempt.detail,
      );
    await rebaseOntoIncoming(git, input, local);
    rebased = true;
  }
}

async function rebaseOntoIncoming(git: GitContext, input: PushInput, local: string): Promise<void> {
  const { upstream, branch } = input;
  await retried(input, local, "fetch", async () => {
    const result = await runGit(git, ["fetch", "--no-tags", upstream.remote, upstream.ref]);
    if (result.exitCode !== 0) throw new Unreachable(result);
  });
  const remote = (await gitOutput(git, ["rev-parse", "FETCH_HEAD^{commit}"], "reading the fetched commit")).trim();
  const base = (await gitOutput(git, ["merge-base", "HEAD", remote], "finding where the histories diverged")).trim();
  const changed = async (from: string, to: string) =>
    (await gitOutput(git, ["diff", "--name-only", "-z", "--no-renames", from, to], "listing changed files")).split("\0").filter(Boolean);
  const [theirs, ours] = await Promise.all([changed(base, remote), changed(base, "HEAD")]);
  const mine = [...new Set([...ours, ...input.runFiles])];
  const both = theirs.filter((f) => mine.some((m) => m === f || (m.endsWith("/") && f.startsWith(m))));
  const stop = (files: string[], why: string) =>
    new PushConflictError(
      `${upstream.remote} ${shortRef(upstream.ref)} moved to ${remote}, ${why}. Nothing is lost: checkpoint ${local} is committed on your branch ${branch}, the remote is untouched. ` +
        `To go on: git pull --rebase ${upstream.remote} ${shortRef(upstream.ref)}, resolve, git push, then resume the run`,
      local,
      remote,
      upstream.remote,
      branch,
      files,
    );
  if (both.length > 0) throw stop(both, `whose new commits change files this run changes too: ${both.join(", ")}`);
  const rebase = await runGit(git, ["rebase", "--autostash", "--quiet", remote]);
  if (rebase.exitCode !== 0) {
    await runGit(git, ["rebase", "--abort"]);
    throw stop([], `and rebasing onto it failed (${rebase.stderr.trim().split("\n")[0] ?? ""})`);
  }
}

async function pushOnce(git: GitContext, branch: string, upstream: Upstream): Promise<Attempt> {
  const result = await runGit(git, ["push", "--porcelain", upstream.remote, `refs/heads/${branch}:${upstream.ref}`]);
  if (result.exitCode === 0) return { ok: true };
  // --porcelain: one line per ref, `!` flags a ref the remote answered with a refusal.
  const refused = result.stdout.split("\n").find((line) => line.startsWith("!"));
  if (!refused) throw new Unreachable(result);
  const detail = refused.split("\t").slice(2).join(" ").trim();
  const nonFastForward = /non-fast-forward|fetch first|stale info/.test(detail);
  return { ok: false, rejected: nonFastForward ? "non-fast-forward" : "other", detail };
}

/** Runs a network operation up to `attempts` times, waiting between tries; then throws a PushError. */
async function retried<T>(input: PushInput, local: string, what: string, run: () => Promise<T>): Promise<T> {
  const { retry, upstream, branch } = input;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      if (attempt >= retry.attempts) {
        const stderr = error.result.stderr.trim();
        throw new PushError(
          `could not ${what} ${upstream.remote} after ${attempt} attempts: ${gitComplaint(stderr)}. ` +
            `Checkpoint ${local} is committed locally on ${branch}, nothing is lost; push it when ${upstream.remote} answers (git push), then resume`,
          local,
          upstream.remote,
          branch,
          attempt,
          stderr,
        );
      }
      await retry.sleep(retry.delaysMs[attempt - 1] ?? retry.delaysMs[retry.delaysMs.length - 1] ?? 0);
    }
  }
}

async function head(git: GitContext): Promise<string> {
  return (await gitOutput(git, ["rev-parse", "HEAD"], "reading HEAD")).trim();
}

/** git's own reasons (its `fatal:` and `error:` lines), else its last line. */
function gitComplaint(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim());
  const reasons = lines.filter((l) => /^(fatal|error):/.test(l)).map((l) => l.replace(/^(fatal|error):\s*/, ""));
  return (reasons.length > 0 ? reasons.join("; ") : lines.filter(Boolean).pop()) ?? "no answer";
}
