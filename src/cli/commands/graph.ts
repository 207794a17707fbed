import { renderDot, renderMermaid } from "../../preview/graph.js";
import { type PlanOptions, preparePlan } from "./prepare.js";

export function graphCommand(runbook: string, args: string[], opts: PlanOptions & { output: "mermaid" | "dot" }): void {
  const plan = preparePlan(runbook, args, opts);
  process.stdout.write(opts.output === "dot" ? renderDot(plan) : renderMermaid(plan));
}
