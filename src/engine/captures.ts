import type { Plan, PlannedStep } from "../plan/types.js";
import type { RunState } from "./run-state.js";

/**
 * `captures` as expressions see them: one value per capturing step, and for a foreach step the
 * list of its items' values in plan order (the type the validator gave it).
 */
const views = new WeakMap<RunState["captures"], Record<string, unknown>>();

export function capturesView(steps: readonly PlannedStep[], captured: RunState["captures"]): Record<string, unknown> {
  // The reducer makes a new captures object on every capture: until then the view stays the same.
  const known = views.get(captured);
  if (known) return known;
  const view: Record<string, unknown> = {};
  for (const step of steps) {
    if (!step.capture) continue;
    const got = captured[step.id];
    if (step.vars) {
      const list = (view[step.capture.as] as unknown[] | undefined) ?? [];
      if (got) list.push(got.value);
      view[step.capture.as] = list;
    } else if (got) view[step.capture.as] = got.value;
  }
  views.set(captured, view);
  return view;
}

/** Every step of the plan in stage order. */
export const planSteps = (plan: Plan): PlannedStep[] => plan.stages.flatMap((s) => s.steps);

/** stdout kept as a capture: text as it is (trailing newline trimmed), or parsed JSON. */
export function captureValue(stdout: string, format: "text" | "json", json?: unknown): unknown {
  if (format === "text") return stdout.replace(/\n$/, "");
  if (json !== undefined) return json;
  return JSON.parse(stdout);
}
