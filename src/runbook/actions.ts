import { ACTION_KINDS, type ActionKind, PROBE_KINDS } from "./schema.js";

/** The action fields present on a step, probe or undo. */
export function actionsOf(spec: object, kinds: readonly ActionKind[] = ACTION_KINDS): ActionKind[] {
  return kinds.filter((k) => (spec as Record<string, unknown>)[k] !== undefined);
}

export function probeOf(spec: object): (typeof PROBE_KINDS)[number] | undefined {
  return actionsOf(spec, PROBE_KINDS)[0] as (typeof PROBE_KINDS)[number] | undefined;
}

export function actionOf(spec: object): ActionKind {
  const kind = actionsOf(spec)[0];
  if (!kind) throw new Error("validated step has no action");
  return kind;
}
