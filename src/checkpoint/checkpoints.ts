import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { InputError, InternalError } from "../errors.js";
import type { Plan, PlannedStage } from "../plan/types.js";
import { EditProblem } from "./edit/problem.js";
import { computeEdit, type EditAction } from "./edit-step.js";
import { CheckpointRefusedError, EditError } from "./errors.js";
import { commitFiles } from "./git/commit.js";
import { findStageCheckpoint } from "./git/find-stage.js";
import { checkoutPreflight } from "./git/preflight.js";
import { DEFAULT_RETRY, pushCheckpoint, type RetryPolicy } from "./git/push.js";
import type { GitContext } from "./git/run-git.js";
import { type CheckpointStatus, checkpointMessage } from "./git/trailers.js";
import { currentBranch, type Upstream, upstreamHas, upstreamOf } from "./git/upstream.js";
import { editedFiles, laterEdits } from "./plan-edits.js";
import { readRepoFile, resolveRepoFile, writeRepoFile } from "./repo-file.js";
import { isSafeRunId, journalPath, RECOVER_DIR, SOURCEIGNORE, withRecoverIgnored } from "./sourceignore.js";
import { WorkingCopy } from "./working-copy.js";

export interface CheckpointsOptions {
  /** The GitOps checkout the plan's edit paths are relative to. */
  repoDir: string;
  /** `--git-author "Name <mail>"`: the author of checkpoints (and their committer when git has none). */
  gitAuthor?: string;
  /** The environment git runs with (default: this process's); tests point GIT_CONFIG_GLOBAL and HOME at temp files. */
  env?: NodeJS.ProcessEnv;
  /** A resumed run: uncommitted changes in the plan's files are its own, and preflight allows them. */
  resumed?: boolean;
  /** Network retries of push and fetch (default: 3 attempts, 1 s then 4 s apart). */
  retry?: Partial<RetryPolicy>;
}

/** Which stage of which run `committedStage` looks for. */
export type StageLookup = Pick<CommitStageInput, "runId" | "stage" | "stageIndex" | "stageCount">;

export interface CommitStageInput {
  runId: string;
  planHash: string;
  stage: PlannedStage;
  stageIndex: number;
  stageCount: number;
  status: CheckpointStatus;
  journal: string;
}

/**
 * The engine's checkpoint port on a real Git checkout: preflight, `edit` steps applied in place,
 * and one commit per stage with the journal snapshot, pushed when the plan says so.
 */
export class GitCheckpoints {
  private readonly git: GitContext;
  private readonly retry: RetryPolicy;
  private plan?: Plan;
  private pushTo?: { branch: string; upstream: Upstream };
  /** Files edits changed since the last checkpoint commit (undo edits included). */
  private readonly touched = new Set<string>();
  private readonly checkedStages = new Set<number>();
  /** Files this checkout's history holds since a checkpoint of ours committed them: no `git add` needed. */
  private readonly tracked = new Set<string>();

  constructor(private readonly options: CheckpointsOptions) {
    const env = { ...(options.env ?? process.env) };
    if (options.gitAuthor) {
      const { name, email } = parseAuthor(options.gitAuthor);
      Object.assign(env, { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email });
    }
    this.git = { dir: options.repoDir, env };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  async preflight(plan: Plan): Promise<{ branch: string; head: string }> {
    this.plan = plan;
    const files = editedFiles(plan).map((file) => {
      try {
        return resolveRepoFile(this.root(), file).rel;
      } catch (error) {
        if (!(error instanceof EditProblem)) throw error;
        throw new CheckpointRefusedError(`the plan edits ${file}, which ${error.message}`, "unsafe-path", this.git.dir, [file]);
      }
    });
    const result = await checkoutPreflight(this.git, {
      files,
      needsUpstream: plan.stages.some((s) => s.checkpoint?.push),
      authorInjected: this.options.gitAuthor !== undefined,
      allowDirty: this.options.resumed ?? false,
    });
    if (result.committerFromAuthor)
      Object.assign(this.git.env, { GIT_COMMITTER_NAME: this.git.env.GIT_AUTHOR_NAME, GIT_COMMITTER_EMAIL: this.git.env.GIT_AUTHOR_EMAIL });
    if (result.upstream) this.pushTo = { branch: result.branch, upstream: result.upstream };
    return { branch: result.branch, head: result.head };
  }

  async applyEdit(step: { id: string; action: EditAction }): Promise<{ file: string; changed: boolean }> {
    this.checkStage(step.id, step.action);
    const outcome = computeEdit(this.root(), step.action, readRepoFile, step.id);
    if (outcome.changed) writeRepoFile(outcome.file, outcome.after);
    this.touched.add(outcome.file.rel);
    return { file: outcome.file.rel, changed: outcome.changed };
  }

  async commitStage(input: CommitStageInput): Promise<{ commit: string | null; pushed: boolean }> {
    const checkpoint = input.stage.checkpoint;
    if (!checkpoint) return { commit: null, pushed: false };
    if (!isSafeRunId(input.runId)) throw new InternalError(`run id ${JSON.stringify(input.runId)} cannot name a folder in the checkout`);
    const root = this.root();
    const journal = journalPath(input.runId);
    writeRepoFile({ rel: journal, abs: join(root, journal) }, input.journal);
    const files = new Set([journal, ...this.touched, ...this.stageFiles(input.stage)]);
    const ignore = { rel: SOURCEIGNORE, abs: join(root, SOURCEIGNORE) };
    const ignoreText = withRecoverIgnored(readRepoFile(ignore));
    if (ignoreText !== undefined) {
      writeRepoFile(ignore, ignoreText);
      files.add(SOURCEIGNORE);
    }
    const present = [...files].filter((f) => existsSync(join(root, f)));
    const gone = [...files].filter((f) => !present.includes(f));
    const message = checkpointMessage(checkpoint.message, { ...input, stageId: input.stage.id });
    const commit = await commitFiles(this.git, { present, gone, tracked: this.tracked }, message);
    for (const f of present) this.tracked.add(f);
    this.touched.clear();
    if (!checkpoint.push) return { commit, pushed: false };
    const pushed = await this.push(input.runId);
    return { commit: pushed.commit, pushed: true };
  }

  /** Resume: this run's `done` checkpoint of the stage, already on the branch; pushed now if it must be and is not yet. */
  async committedStage(input: StageLookup): Promise<{ commit: string; pushed: boolean } | null> {
    const want = { runId: input.runId, stageIndex: input.stageIndex, stageCount: input.stageCount, stageId: input.stage.id };
    const commit = await findStageCheckpoint(this.git, want);
    if (!commit) return null;
    if (!input.stage.checkpoint?.push) return { commit, pushed: false };
    this.pushTo ??= await this.findUpstream();
    if (await upstreamHas(this.git, this.pushTo.branch, commit)) return { commit, pushed: true };
    const pushed = await this.push(input.runId);
    // A rebase onto the remote's new commits gave the checkpoint a new id.
    return { commit: pushed.rebased ? ((await findStageCheckpoint(this.git, want)) ?? pushed.commit) : commit, pushed: true };
  }

  private async push(runId: string): Promise<{ commit: string; rebased: boolean }> {
    this.pushTo ??= await this.findUpstream();
    return pushCheckpoint(this.git, {
      ...this.pushTo,
      runFiles: [...(this.plan ? editedFiles(this.plan) : []), `${RECOVER_DIR}/runs/${runId}/`],
      retry: this.retry,
    });
  }

  /** A stage's edits are written all or nothing: before the first, the rest are tried on a copy in memory. */
  private checkStage(stepId: string, action: EditAction): void {
    if (!this.plan) return;
    const stageIndex = this.plan.stages.findIndex((s) => s.steps.some((st) => st.id === stepId));
    if (stageIndex < 0 || this.checkedStages.has(stageIndex)) return;
    // An undo (on failure, or after a resume) is never held back by the edits that would have followed.
    const planned = this.plan.stages[stageIndex]?.steps.find((st) => st.id === stepId);
    if (planned?.undo && isDeepStrictEqual(planned.undo.action, action)) return;
    this.checkedStages.add(stageIndex);
    const stage = this.plan.stages[stageIndex] as PlannedStage;
    const copy = new WorkingCopy(this.root());
    copy.apply(action, stepId);
    for (const later of laterEdits(stage, stepId)) {
      try {
        copy.apply(later.action, later.id);
      } catch (error) {
        if (!(error instanceof EditError)) throw error;
        throw new EditError(
          `${error.message}\n  stage ${stage.id} writes its edits all or nothing: none was written`,
          error.file,
          error.path,
          error.step,
        );
      }
    }
  }

  private stageFiles(stage: PlannedStage): string[] {
    return (stage.checkpoint?.files ?? []).flatMap((file) => {
      try {
        return [resolveRepoFile(this.root(), file).rel];
      } catch {
        return []; // refused at preflight; an edit never wrote it
      }
    });
  }

  private async findUpstream(): Promise<{ branch: string; upstream: Upstream }> {
    const branch = await currentBranch(this.git);
    const upstream = branch ? await upstreamOf(this.git, branch) : undefined;
    if (!branch || !upstream)
      throw new CheckpointRefusedError(
        `branch ${branch ?? "(detached HEAD)"} has no upstream to push checkpoints to`,
        "no-upstream",
        this.git.dir,
      );
    return { branch, upstream };
  }

  private root(): string {
    try {
      return realpathSync(this.git.dir);
    } catch {
      throw new CheckpointRefusedError(`the GitOps checkout ${this.git.dir} does not exist`, "no-checkout", this.git.dir);
    }
  }
}

/** `Name <mail>` as given to --git-author. */
function parseAuthor(text: string): { name: string; email: string } {
  const m = /^\s*([^<>]*?)\s*<([^<>\s]+)>\s*$/.exec(text);
  if (!m?.[1])
    throw new InputError(`--git-author ${JSON.stringify(text)} is not "Name <mail>"`, 'write --git-author "Ops Team <ops@example.com>"');
  return { name: m[1], email: m[2] as string };
}

/** The engine's checkpoint port on the checkout (what src/cli/checkpoint-adapter.ts loads). */
export function openCheckpoints(options: CheckpointsOptions): GitCheckpoints {
  return new GitCheckpoints(options);
}
