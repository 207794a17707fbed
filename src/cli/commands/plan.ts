import { NotYetError } from "../../errors.js";
import { renderText } from "../../preview/text.js";
import { type PlanOptions, preparePlan } from "./prepare.js";

interface PlanCommandOptions extends PlanOptions {
  output: "text" | "json";
  dryRun?: boolean;
}

export function planCommand(runbook: string, args: string[], opts: PlanCommandOptions): void {
  const plan = preparePlan(runbook, args, opts);
  if (opts.output === "json") process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
  else process.stdout.write(renderText(plan, { base: process.cwd(), color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }));
}

export function runCommand(runbook: string, args: string[], opts: PlanCommandOptions): void {
  if (opts.dryRun) {
    planCommand(runbook, args, opts);
    return;
  }
  // Validate everything first, so the operator learns of input problems now.
  preparePlan(runbook, args, opts);
  throw new NotYetError(
    "executing runbooks is not available yet in this version (the engine and transports come next); nothing was run. Preview it with --dry-run.",
  );
}
