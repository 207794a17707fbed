import type { Plan, PlannedAction } from "../plan/types.js";
import { describeAction, describeTarget } from "../preview/describe.js";

/** A step's command as the dry-run prints it (the same function), so what was previewed is what is shown. */
export function commandLines(plan: Plan, action: PlannedAction | undefined, target: string | undefined): string[] {
  if (!action) return [];
  const lines = describeAction(action, plan, target);
  if (action.kind !== "sh" || !target) return lines;
  return [`${describeTarget(plan.targets[target])}: ${lines[0] ?? ""}`, ...lines.slice(1)];
}

/** One line for a command: its first line, and how many more there are. */
export function commandLine(plan: Plan, action: PlannedAction | undefined, target: string | undefined): string {
  const lines = commandLines(plan, action, target);
  return lines.length > 1 ? `${lines[0]} … (+${lines.length - 1} lines)` : (lines[0] ?? "");
}

export const seconds = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
