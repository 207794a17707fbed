import { findCycle } from "../../util/graph.js";
import type { StepSpec } from "../schema.js";
import type { Rule } from "./context.js";

/** The edges a step has inside its stage: its needs, or the previous step when it says nothing. */
export function stepEdges(steps: readonly StepSpec[], index: number): string[] {
  const step = steps[index] as StepSpec;
  if (step.needs) return step.needs;
  return index > 0 ? [(steps[index - 1] as StepSpec).id] : [];
}

/** `needs` names steps of the same stage, and the graph has no cycle. */
export const needsRule: Rule = ({ spec }, report) => {
  const stageOf = new Map<string, string>();
  for (const stage of spec.stages) for (const step of stage.steps) stageOf.set(step.id, stage.id);
  for (const [s, stage] of spec.stages.entries()) {
    const here = new Set(stage.steps.map((st) => st.id));
    for (const [i, step] of stage.steps.entries()) {
      for (const [n, need] of (step.needs ?? []).entries()) {
        const path = ["stages", s, "steps", i, "needs", n];
        if (need === step.id) report(path, `step "${step.id}" needs itself`, "remove it from needs");
        else if (!here.has(need)) {
          const other = stageOf.get(need);
          if (other) {
            report(
              path,
              `needs "${need}" of stage "${other}": needs names steps of the same stage`,
              "stages run in order, so an earlier stage has always finished; drop it",
            );
          } else {
            report(path, `needs unknown step "${need}"`, `steps in stage "${stage.id}": ${[...here].join(", ")}`);
          }
        }
      }
    }
    const ids = stage.steps.map((st) => st.id);
    const byId = new Map(stage.steps.map((st, i) => [st.id, i]));
    const cycle = findCycle(ids, (id) => {
      const i = byId.get(id);
      return i === undefined ? [] : stepEdges(stage.steps, i).filter((e) => here.has(e) && e !== id);
    });
    if (cycle) {
      const first = byId.get(cycle[0] as string) ?? 0;
      report(
        ["stages", s, "steps", first, "needs"],
        `dependency cycle: ${cycle.join(" → ")}`,
        "break the cycle by removing one of these needs",
        true,
      );
    }
  }
};
