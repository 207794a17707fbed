import { own } from "../util/own.js";
import type { ActionKind, RunbookSpec, TargetSpec } from "./schema.js";

export type TargetKind = "ssh" | "kubectl" | "local";

export function targetKind(target: TargetSpec): TargetKind | undefined {
  const kinds = (["ssh", "kubectl", "local"] as const).filter((k) => target[k] !== undefined);
  return kinds.length === 1 ? kinds[0] : undefined;
}

/** Which target kinds can run an action; an empty list means it runs on the operator's machine. */
export const TARGET_KINDS_FOR: Record<ActionKind, TargetKind[]> = {
  sh: ["ssh", "local"],
  kubectl: ["kubectl"],
  local: [],
  edit: [],
  wait: [],
  prompt: [],
  uses: [],
};

export type TargetChoice = { name: string } | { none: true } | { error: string; hint: string };

/** Resolves the target of an action: `on` when given (checked), else the only target of a fitting kind. */
export function chooseTarget(runbook: RunbookSpec, action: ActionKind, on: string | undefined): TargetChoice {
  const targets = runbook.targets ?? {};
  const fits = TARGET_KINDS_FOR[action];
  if (on !== undefined) {
    const target = own(targets, on);
    if (!target) {
      const names = Object.keys(targets);
      return {
        error: `unknown target "${on}"`,
        hint: names.length ? `targets of this runbook: ${names.join(", ")}` : "declare it under targets:",
      };
    }
    const kind = targetKind(target);
    if (fits.length === 0) {
      if (kind === "local") return { name: on };
      return { error: `a ${action} action runs on the operator's machine, not on ${kind} target "${on}"`, hint: "remove on:" };
    }
    if (!kind || !fits.includes(kind)) {
      return { error: `a ${action} action cannot run on ${kind} target "${on}"`, hint: `use a ${fits.join(" or ")} target` };
    }
    return { name: on };
  }
  if (fits.length === 0) return { none: true };
  for (const kind of fits) {
    const candidates = Object.entries(targets).filter(([, t]) => targetKind(t) === kind);
    if (candidates.length === 1) return { name: (candidates[0] as [string, TargetSpec])[0] };
    if (candidates.length > 1) {
      return {
        error: `a ${action} action needs on: (${candidates.length} ${kind} targets: ${candidates.map(([n]) => n).join(", ")})`,
        hint: "say which target with on:",
      };
    }
  }
  return { error: `a ${action} action needs a ${fits.join(" or ")} target and the runbook has none`, hint: "declare one under targets:" };
}
