/** Git checkpoints: `edit` steps applied to the GitOps checkout, a commit per stage, push, runs found again in Git. */
export { type CheckpointsOptions, type CommitStageInput, GitCheckpoints, openCheckpoints } from "./checkpoints.js";
export { planDiffs, type StageDiff } from "./diff.js";
export type { EditAction } from "./edit-step.js";
export * from "./errors.js";
export { findRunsInGit, type RunInGit } from "./git/find-runs.js";
export { checkpointLabel, finishedInGit, pickRunToResume } from "./git/pick-run.js";
export type { CheckpointStatus } from "./git/trailers.js";
