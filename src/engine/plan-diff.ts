import type { Plan, PlannedStep } from "../plan/types.js";

/** What changed between the journalled plan and the one made now, step by step (for --replan). */
export function planDiff(before: Plan, after: Plan): string[] {
  const steps = (plan: Plan) => new Map(plan.stages.flatMap((s) => s.steps.map((st) => [st.id, st] as const)));
  const old = steps(before);
  const now = steps(after);
  const lines: string[] = [];
  for (const [id, step] of now) {
    const was = old.get(id);
    if (!was) lines.push(`+ ${id} (new step)`);
    else if (comparable(was) !== comparable(step)) lines.push(`~ ${id} changed`);
  }
  for (const id of old.keys()) if (!now.has(id)) lines.push(`- ${id} (no longer in the plan)`);
  if (JSON.stringify(before.targets) !== JSON.stringify(after.targets)) lines.push("~ targets changed");
  if (JSON.stringify(before.params) !== JSON.stringify(after.params)) lines.push("~ params changed");
  if (lines.length === 0) lines.push("~ the plan differs outside its steps (stages, checkpoints or origins)");
  return lines;
}

/** A step without where it came from in the source: moving a line is not a change. */
const comparable = (step: PlannedStep): string => JSON.stringify({ ...step, origin: undefined });
