import type { CheckpointPort } from "../engine/ports.js";
import type { Plan } from "../plan/types.js";

/** What the checkpoint module (src/checkpoint, issue 10) is expected to export. */
interface CheckpointModule {
  openCheckpoints(options: { repoDir: string }): CheckpointPort;
}

/**
 * The Git checkpoints, wired only when the plan has a checkpoint or an edit and the module exists
 * in this build; undefined otherwise (the engine then says no commit was made).
 */
export async function checkpointAdapter(plan: Plan, repoDir: string | undefined): Promise<CheckpointPort | undefined> {
  const needed = plan.stages.some((s) => s.checkpoint || s.steps.some((st) => st.action.kind === "edit"));
  if (!needed || !repoDir) return undefined;
  // A variable specifier: the module may not be in this build yet.
  const specifier = "../checkpoint/index.js";
  try {
    const module = (await import(specifier)) as Partial<CheckpointModule>;
    return module.openCheckpoints?.({ repoDir });
  } catch {
    return undefined;
  }
}
