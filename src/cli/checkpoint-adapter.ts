import type { CheckpointPort } from "../engine/ports.js";
import type { Plan } from "../plan/types.js";

/** What the checkpoint module (src/checkpoint, issue 10) is expected to export. */
interface CheckpointModule {
  openCheckpoints(options: { repoDir: string } & CheckpointOptions): CheckpointPort;
}

/** A resumed run's own uncommitted edits are allowed by the preflight; `--git-author` authors the commits. */
export interface CheckpointOptions {
  resumed?: boolean;
  gitAuthor?: string;
}

/**
 * The Git checkpoints, wired only when the plan has a checkpoint or an edit and the module exists
 * in this build; undefined otherwise (the engine then says no commit was made).
 */
export async function checkpointAdapter(
  plan: Plan,
  repoDir: string | undefined,
  options: CheckpointOptions = {},
): Promise<CheckpointPort | undefined> {
  const needed = plan.stages.some((s) => s.checkpoint || s.steps.some((st) => st.action.kind === "edit"));
  if (!needed || !repoDir) return undefined;
  // A variable specifier: the module may not be in this build yet.
  const specifier = "../checkpoint/index.js";
  try {
    const module = (await import(specifier)) as Partial<CheckpointModule>;
    return module.openCheckpoints?.({ repoDir, ...options });
  } catch {
    return undefined;
  }
}
