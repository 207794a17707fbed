import { InputError } from "../../errors.js";
import { renderText } from "../../preview/text.js";
import { type PlanOptions, preparePlan } from "./prepare.js";
import type { ExecuteOptions } from "./run.js";

interface PlanCommandOptions extends PlanOptions {
  output: "text" | "json" | "plain";
  dryRun?: boolean;
  probe?: boolean;
}

export function planCommand(runbook: string, args: string[], opts: PlanCommandOptions): void {
  const plan = preparePlan(runbook, args, opts);
  if (opts.output === "json") process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
  else process.stdout.write(renderText(plan, { base: process.cwd(), color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }));
}

/** `recover RUNBOOK ARGS`: the dry-run prints the plan and constructs no engine; otherwise the engine runs it. */
export async function runCommand(runbook: string, args: string[], opts: PlanCommandOptions & ExecuteOptions): Promise<number> {
  if (opts.probe && !opts.dryRun) throw new InputError("--probe goes with --dry-run", "write --dry-run --probe");
  if (opts.dryRun && opts.probe) return (await import("./probe.js")).probeCommand(runbook, args, opts);
  if (opts.dryRun) {
    if (opts.output === "plain") opts.output = "text";
    planCommand(runbook, args, opts as PlanCommandOptions);
    return 0;
  }
  return (await import("./run.js")).executeCommand(runbook, args, opts);
}
