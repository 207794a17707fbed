import { actionsOf, probeOf } from "../actions.js";
import { ACTION_KINDS } from "../schema.js";
import { chooseTarget } from "../targets.js";
import { type Rule, steps } from "./context.js";

/** Every action (step, check, undo) resolves to a target of a kind that can run it. */
export const targetsRule: Rule = ({ spec }, report) => {
  for (const { step, path } of steps(spec)) {
    const kind = actionsOf(step)[0];
    if (kind) {
      const choice = chooseTarget(spec, kind, step.on);
      if ("error" in choice)
        report(step.on !== undefined ? [...path, "on"] : [...path, kind], choice.error, choice.hint, step.on === undefined);
    }
    const checks: [(string | number)[], { on?: string | undefined }][] = [
      ...(step.guard ?? []).map((g, i) => [[...path, "guard", i], g] as [(string | number)[], typeof g]),
      ...(step.skipIf ? [[[...path, "skipIf"], step.skipIf] as [(string | number)[], typeof step.skipIf]] : []),
      ...(step.verify ? [[[...path, "verify"], step.verify] as [(string | number)[], typeof step.verify]] : []),
    ];
    for (const [where, check] of checks) {
      const probe = probeOf(check);
      if (!probe) continue;
      // A probe of the same kind as the step defaults to the step's target.
      const on = check.on ?? (probe === kind ? step.on : undefined);
      const choice = chooseTarget(spec, probe, on);
      if ("error" in choice)
        report(check.on !== undefined ? [...where, "on"] : [...where, probe], choice.error, choice.hint, check.on === undefined);
    }
    if (step.undo) {
      const undoKind = actionsOf(
        step.undo,
        ACTION_KINDS.filter((k) => k !== "uses"),
      )[0];
      if (undoKind) {
        const on = step.undo.on ?? (undoKind === kind ? step.on : undefined);
        const choice = chooseTarget(spec, undoKind, on);
        if ("error" in choice) report([...path, "undo"], `undo: ${choice.error}`, choice.hint);
      }
    }
  }
};
