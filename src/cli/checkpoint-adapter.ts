import type { CheckpointPort } from "../engine/ports.js";
import type { Plan } from "../plan/types.js";

/** A resumed run's own uncommitted edits are allowed by the preflight; `--git-author` authors the commits. */
export interface CheckpointOptions {
  resumed?: boolean;
  gitAuthor?: string;
}

/** The Git checkpoints (src/checkpoint), wired only when the plan has a checkpoint or an edit and a checkout is known. */
export async function checkpointAdapter(
  plan: Plan,
  repoDir: string | undefined,
  options: CheckpointOptions = {},
): Promise<CheckpointPort | undefined> {
  const needed = plan.stages.some((s) => s.checkpoint || s.steps.some((st) => st.action.kind === "edit"));
  if (!needed || !repoDir) return undefined;
  // Loaded only for a run that needs it: git and YAML editing stay out of the other commands' start-up.
  const { openCheckpoints } = await import("../checkpoint/checkpoints.js");
  return openCheckpoints({ repoDir, ...options });
}
