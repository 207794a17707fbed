import { renderDot, renderMermaid } from "../../preview/graph.js";
import { type PlanOptions, preparePlan } from "./prepare.js";

export function graphCommand(runbook: string, args: string[], opts: PlanOptions & { format: "mermaid" | "dot" }): void {
  const plan = preparePlan(runbook, args, opts);
  process.stdout.write(opts.format === "dot" ? renderDot(plan) : renderMermaid(plan));
}
