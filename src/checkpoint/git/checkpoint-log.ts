import { type GitContext, gitOutput, runGit } from "./run-git.js";
import { type CheckpointTrailers, parseTrailers, TRAILER_KEYS } from "./trailers.js";

/** One checkpoint commit as `git log` shows it. */
export interface CheckpointEntry {
  commit: string;
  trailers: CheckpointTrailers;
  /** Committer date, ISO 8601. */
  date: string;
}

/**
 * The checkpoint commits reachable from HEAD, newest first, whose message matches `grep` (a fixed
 * string; default: any with a Recover-Run trailer). None when the branch has no commit yet.
 */
export async function checkpointLog(git: GitContext, grep?: string): Promise<CheckpointEntry[]> {
  if ((await runGit(git, ["rev-parse", "-q", "--verify", "HEAD"])).exitCode !== 0) return [];
  const fields = [...TRAILER_KEYS.map((k) => `%(trailers:key=${k},valueonly,separator=%x2C)`), "%cI"];
  const filter = grep === undefined ? ["--grep=^Recover-Run: "] : ["--fixed-strings", `--grep=${grep}`];
  const log = await gitOutput(git, ["log", "-z", ...filter, `--format=%H%x1f${fields.join("%x1f")}`, "HEAD", "--"], "reading the history");
  return log.split("\0").flatMap((record) => {
    const [commit, ...rest] = record.replace(/^\n/, "").split("\x1f");
    const trailers = parseTrailers(rest.slice(0, TRAILER_KEYS.length));
    return commit && trailers ? [{ commit, trailers, date: rest[TRAILER_KEYS.length] ?? "" }] : [];
  });
}
