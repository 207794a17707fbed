import type { Plan, PlannedAction, PlannedTarget } from "../plan/types.js";
import { formatDuration } from "../runbook/duration.js";
import { kubectlArgs } from "../transports/target.js";
import { shellQuote } from "../util/shell-quote.js";

/** One line naming a target, e.g. `ssh k3s1 (sudo)` or `kubectl --context k3s-flux`. */
export function describeTarget(target: PlannedTarget | undefined): string {
  if (!target) return "this machine";
  switch (target.kind) {
    case "ssh": {
      const who = target.user ? `${target.user}@${target.host}` : target.host;
      return `ssh ${who}${target.port ? `:${target.port}` : ""}${target.become ? ` (${target.become})` : ""}`;
    }
    case "kubectl":
      return kubectlCommand(target, []).join(" ");
    case "local":
      return "this machine";
  }
}

/** kubectl's words for a target and argv, built by the same function the kubectl transport runs. */
export function kubectlCommand(target: PlannedTarget | undefined, argv: readonly string[]): string[] {
  return ["kubectl", ...kubectlArgs(target?.kind === "kubectl" ? target : {}, argv)];
}

/** The exact command an action runs, as lines a reader could paste into a shell. */
export function describeAction(action: PlannedAction, plan: Plan, targetName: string | undefined): string[] {
  const target = targetName ? plan.targets[targetName] : undefined;
  switch (action.kind) {
    case "sh":
      return action.script.replace(/\n+$/, "").split("\n");
    case "kubectl":
      return [kubectlCommand(target, action.argv).map(shellQuote).join(" ")];
    case "local":
      return [action.argv.map(shellQuote).join(" ")];
    case "edit": {
      const doc = action.document ? ` (${[action.document.kind, action.document.name].filter(Boolean).join(" ")})` : "";
      if (action.remove) return [`delete ${action.file}`];
      if (action.content !== undefined)
        return [
          `write ${action.file}${doc}:`,
          ...action.content
            .replace(/\n+$/, "")
            .split("\n")
            .map((l) => `  ${l}`),
        ];
      return [
        `edit ${action.file}${doc}`,
        ...Object.entries(action.set ?? {}).map(([k, v]) => `  set ${k} = ${JSON.stringify(v)}`),
        ...(action.unset ?? []).map((k) => `  unset ${k}`),
      ];
    }
    case "wait":
      return [`wait ${formatDuration(action.ms)}`];
    case "prompt":
      return [`ask the operator: ${action.message}`];
  }
}
