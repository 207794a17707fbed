import type { Plan, PlannedAction } from "../plan/types.js";
import { describeAction, describeTarget } from "./describe.js";

/** The lines of a command as the preview shows it: a script is prefixed with where it runs (kubectl names its own). */
export function commandText(plan: Plan, action: PlannedAction, targetName: string | undefined): string[] {
  const lines = describeAction(action, plan, targetName);
  if (action.kind !== "sh" || !targetName) return lines;
  const [first = "", ...rest] = lines;
  return [`${describeTarget(plan.targets[targetName])}: ${first}`, ...rest];
}
