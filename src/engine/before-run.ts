import type { Plan, PlannedStep } from "../plan/types.js";
import { RefusedError } from "./errors.js";
import type { EngineOptions } from "./options.js";
import type { EnginePrompter } from "./ports.js";
import type { Run } from "./run.js";

const live = (plan: Plan): PlannedStep[] => plan.stages.flatMap((s) => s.steps).filter((s) => !s.skip);

/** Refused before anything runs: what would have to be asked and cannot be. A pure decision. */
export function unattendedProblem(plan: Plan, prompter: EnginePrompter | undefined, options: EngineOptions): string | undefined {
  if (prompter) return undefined;
  if (options.stepMode) return "--step asks before every step and there is no terminal";
  const destructive = live(plan).filter((s) => s.destructive);
  if (destructive.length > 0 && !options.yes)
    return `the plan has destructive steps (${destructive.map((s) => s.id).join(", ")}) and there is no terminal to confirm them: run it on a terminal, or pass --yes to confirm them all (drills, CI)`;
  const manual = live(plan).filter((s) => s.action.kind === "prompt");
  if (manual.length > 0 && !(options.yes && options.yesPrompts))
    return `the plan has prompt steps (${manual.map((s) => s.id).join(", ")}) and there is no terminal: pass --yes --yes-prompts for a drill`;
  return undefined;
}

/** The target names a plan's steps, checks and undos use. */
export function usedTargets(plan: Plan): string[] {
  const names = new Set<string>();
  for (const step of live(plan)) {
    if (step.target) names.add(step.target);
    for (const check of [...step.guards, step.skipIf, step.verify])
      if (check?.probe && (check.target ?? step.target)) names.add((check.target ?? step.target) as string);
    if (step.undo?.target) names.add(step.undo.target);
  }
  return [...names].filter((n) => plan.targets[n] !== undefined);
}

/** Before the first step: every target reached as `recover check` does, and the Git checkout ready. */
export async function preflight(run: Run): Promise<void> {
  const { reach, checkpoints } = run.deps;
  const problems: string[] = [];
  if (reach) {
    const names = usedTargets(run.plan);
    const results = await Promise.allSettled(names.map((n) => reach(n, run.plan.targets[n] as never, run.transport(n))));
    for (const [i, result] of results.entries())
      if (result.status === "rejected") problems.push(`target ${names[i]}: ${(result.reason as Error).message}`);
  }
  if (problems.length > 0) throw new RefusedError(`preflight failed, nothing was changed:\n  ${problems.join("\n  ")}`);
  if (checkpoints && run.plan.stages.some((s) => s.checkpoint)) {
    const git = await checkpoints.preflight(run.plan);
    run.emit({ type: "notice", message: `checkpoints on branch ${git.branch} from ${git.head}` });
  }
}
