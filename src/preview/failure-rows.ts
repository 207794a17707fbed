import { failureCleanup } from "../plan/cleanup.js";
import type { Plan, PlannedStep } from "../plan/types.js";
import type { Colors } from "./colors.js";
import type { Row } from "./layout.js";

const lead = (label: string) => `      ${label.padEnd(9)}`;

/**
 * "If it fails" under a stage: the undo that runs, most recently completed first, and the
 * `always` steps after it (each still subject to its `when`), so the reviewer sees what state a
 * failure at each point leaves. The order is the engine's (plan/cleanup.ts).
 */
export function failureRows(plan: Plan, stageIndex: number, c: Colors): Row[] {
  const { stageUndo, earlierUndo, always } = failureCleanup(plan, stageIndex);
  const rows: Row[] = [{ lead: "  ", text: "If a step of this stage fails, the run stops; then:", paint: c.yellow }];
  if (stageUndo.length > 0) rows.push({ lead: lead("undo"), text: `this stage's completed steps, last first: ${ids(stageUndo)}` });
  if (earlierUndo.length > 0)
    rows.push({
      lead: lead(stageUndo.length ? "" : "undo"),
      text: `${stageUndo.length ? "then " : ""}the earlier stages' steps, last first: ${ids(earlierUndo)}`,
    });
  if (stageUndo.length === 0 && earlierUndo.length === 0) rows.push({ lead: lead("undo"), text: "nothing (no step so far has an undo)" });
  const stage = new Set(plan.stages[stageIndex]?.steps.map((s) => s.id));
  const own = always.some((s) => stage.has(s.id)) ? " — this stage's own only if they have not run yet" : "";
  if (always.length > 0) rows.push({ lead: lead("always"), text: `${always.map(alwaysText).join(", ")}${own}` });
  else rows.push({ lead: lead("always"), text: "no always step is left to run" });
  return rows;
}

const ids = (steps: PlannedStep[]): string => steps.map((s) => s.id).join(", ");

const alwaysText = (step: PlannedStep): string => (step.when ? `${step.id} (only when ${step.when})` : step.id);
