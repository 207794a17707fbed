import { ExitCode, RecoverError } from "../errors.js";

/**
 * An `edit` step cannot apply to the checkout (document not found, a path through a scalar, a file
 * outside the repository, a YAML syntax error in the file). Raised before anything is written.
 */
export class EditError extends RecoverError {
  constructor(
    message: string,
    /** The file as the plan names it, relative to the GitOps checkout. */
    readonly file: string,
    /** The edit path (`spec.disks["sdf1"]`) when one path is at fault. */
    readonly path?: string,
    /** The planned step id, when the edit came from a step. */
    readonly step?: string,
  ) {
    super(message);
  }
}

/** Why a checkpoint preflight refused to start a run. */
export type RefusalReason =
  | "no-checkout"
  | "not-a-work-tree"
  | "detached-head"
  | "no-commit"
  | "operation-in-progress"
  | "no-identity"
  | "dirty-files"
  | "unsafe-path"
  | "no-upstream"
  | "no-git";

/** The checkout is not fit for a run (preflight): nothing was changed, exit 3. */
export class CheckpointRefusedError extends RecoverError {
  override readonly exitCode = ExitCode.Refused;
  constructor(
    message: string,
    readonly reason: RefusalReason,
    readonly repoDir: string,
    /** The files at fault (uncommitted changes in files the plan edits), relative to the checkout. */
    readonly files: string[] = [],
    readonly hint?: string,
  ) {
    super(hint ? `${message}\n  hint: ${hint}` : message);
  }
}

/** A git command failed during a run (commit refused by a hook, index locked, …): the stage fails, exit 1. */
export class GitCommandError extends RecoverError {
  constructor(
    message: string,
    readonly repoDir: string,
    /** The git argv, without `git`. */
    readonly args: string[],
    readonly gitExitCode: number | undefined,
    /** The last lines of git's stderr. */
    readonly stderr: string,
  ) {
    super(message);
  }
}

/** The checkpoint commit exists locally but could not be pushed (network down after retries, rejected by the remote). */
export class PushError extends RecoverError {
  constructor(
    message: string,
    /** The local checkpoint commit, kept. */
    readonly localCommit: string,
    readonly remote: string,
    readonly branch: string,
    readonly attempts: number,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/**
 * The remote branch moved and its new commits change files this run changes too: the run stops
 * with both commits named, nothing lost (the local commit stays, the remote is untouched).
 */
export class PushConflictError extends PushError {
  constructor(
    message: string,
    localCommit: string,
    /** The remote branch's commit that the push would have overwritten. */
    readonly remoteCommit: string,
    remote: string,
    branch: string,
    /** Files changed on both sides. */
    readonly files: string[],
  ) {
    super(message, localCommit, remote, branch, 1, "");
  }
}
