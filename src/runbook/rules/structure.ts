import { actionsOf } from "../actions.js";
import { ACTION_KINDS, PROBE_KINDS } from "../schema.js";
import { targetKind } from "../targets.js";
import { type Rule, steps } from "./context.js";

/** Exactly one action per step and undo, at most one probe per check, one kind per target. */
export const structureRule: Rule = ({ spec }, report) => {
  for (const [name, target] of Object.entries(spec.targets ?? {})) {
    if (!targetKind(target)) {
      const kinds = (["ssh", "kubectl", "local"] as const).filter((k) => target[k] !== undefined);
      report(
        ["targets", name],
        kinds.length === 0 ? "target has no connection" : `target has ${kinds.join(" and ")}: a target is exactly one connection`,
        "give it one of ssh:, kubectl:, local:",
      );
    }
  }
  for (const { step, path } of steps(spec)) {
    const kinds = actionsOf(step);
    if (kinds.length === 0) {
      report(path, `step "${step.id}" has no action`, `give it one of ${ACTION_KINDS.join(", ")}`);
    } else if (kinds.length > 1) {
      report(
        [...path, kinds[1] as string],
        `step "${step.id}" has ${kinds.length} actions (${kinds.join(", ")})`,
        "a step does one thing: split it into steps",
        true,
      );
    }
    if (step.undo) {
      const undoKinds = actionsOf(
        step.undo,
        ACTION_KINDS.filter((k) => k !== "uses"),
      );
      if (undoKinds.length !== 1) {
        report(
          [...path, "undo"],
          `undo must have exactly one action, has ${undoKinds.length}`,
          `one of sh, kubectl, local, edit, wait, prompt`,
        );
      }
    }
    const checks: [string | number, object][] = [
      ...(step.guard ?? []).map((g, i) => [i, g] as [number, object]),
      ...(step.skipIf ? [["skipIf", step.skipIf] as [string, object]] : []),
      ...(step.verify ? [["verify", step.verify] as [string, object]] : []),
    ];
    for (const [key, check] of checks) {
      const probes = actionsOf(check, PROBE_KINDS);
      const where = typeof key === "number" ? [...path, "guard", key] : [...path, key];
      if (probes.length > 1) report(where, `a check runs at most one probe, has ${probes.join(" and ")}`, "split it into two checks");
    }
    if (step.uses && (step.capture || step.undo || step.retry)) {
      report([...path, "uses"], "a uses step cannot have capture, undo or retry", "put them on the steps of the used runbook", true);
    }
  }
};

/** Step and stage ids are unique across the runbook (they name captures, journal entries and commits). */
export const idsRule: Rule = ({ spec }, report) => {
  const stageIds = new Map<string, number>();
  for (const [s, stage] of spec.stages.entries()) {
    const first = stageIds.get(stage.id);
    if (first !== undefined)
      report(["stages", s, "id"], `duplicate stage id "${stage.id}" (also stages[${first}])`, "give each stage its own id");
    else stageIds.set(stage.id, s);
  }
  const stepIds = new Map<string, string>();
  for (const { step, path, stageIndex, index } of steps(spec)) {
    const first = stepIds.get(step.id);
    if (first) report([...path, "id"], `duplicate step id "${step.id}" (also ${first})`, "give each step its own id");
    else stepIds.set(step.id, `stages[${stageIndex}].steps[${index}]`);
  }
};

/** A destructive step names what the operator must type to confirm it. */
export const destructiveRule: Rule = ({ spec }, report) => {
  for (const { step, path } of steps(spec)) {
    if (step.destructive === true || (typeof step.destructive === "object" && !step.destructive.confirm.trim())) {
      report(
        [...path, "destructive"],
        `destructive step "${step.id}" has no confirmation subject`,
        'write destructive: {confirm: "${{ params.node }}", impact: "…"}: the name the operator must type to go ahead',
        true,
      );
    }
    if (step.destructive && step.always) {
      report(
        [...path, "always"],
        `destructive step "${step.id}" cannot be always: it would run after a failure`,
        "remove always: true",
        true,
      );
    }
  }
};
