import type { Plan, PlannedCheck, PlannedStep } from "../plan/types.js";
import { formatDuration } from "../runbook/duration.js";
import { shortPath } from "../util/paths.js";
import { describeAction, describeTarget } from "./describe.js";

export interface TextOptions {
  /** Wrap marks in ANSI colours (only on a TTY). */
  color?: boolean;
  /** Paths below it are shown relative to it (the caller passes its working directory). */
  base?: string;
}

/** The dry-run preview: by stage, every step with its target, exact command, checks and marks. */
export function renderText(plan: Plan, options: TextOptions = {}): string {
  const c = colors(options.color ?? false);
  const out: string[] = [];
  const args = Object.entries(plan.params).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : String(v)}`);
  out.push(c.bold(`recover ${plan.runbook.name} — dry run: nothing is executed`));
  out.push(`  ${plan.runbook.summary}`);
  out.push(`  runbook    ${shortPath(plan.runbook.file, options.base)}`);
  if (plan.inventory) out.push(`  inventory  ${shortPath(plan.inventory, options.base)}`);
  out.push(`  params     ${args.join("  ") || "none"}`);
  for (const [name, target] of Object.entries(plan.targets)) out.push(`  target     ${name}: ${describeTarget(target)}`);
  const total = plan.stages.reduce((n, s) => n + s.steps.length, 0);
  const destructive = plan.stages.reduce((n, s) => n + s.steps.filter((st) => st.destructive && !st.skip).length, 0);
  out.push(`  ${plan.stages.length} stages, ${total} steps, ${destructive} destructive (each asks for confirmation)`);
  for (const [s, stage] of plan.stages.entries()) {
    out.push("");
    out.push(c.bold(`Stage ${s + 1}/${plan.stages.length}  ${stage.id}${stage.title !== stage.id ? ` — ${stage.title}` : ""}`));
    for (const [i, step] of stage.steps.entries()) {
      const last = i === stage.steps.length - 1 && !stage.checkpoint;
      const previous = stage.steps[i - 1]?.id;
      out.push(...renderStep(plan, step, last, previous, c));
    }
    if (stage.checkpoint) {
      const files = stage.checkpoint.files.length ? stage.checkpoint.files.join(", ") : "no file changes (empty commit)";
      out.push(
        `  └─ ${c.cyan("checkpoint")} git commit "${stage.checkpoint.message}" — ${files}${stage.checkpoint.push ? ", then push" : ""}`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

type Colors = ReturnType<typeof colors>;

function renderStep(plan: Plan, step: PlannedStep, last: boolean, previous: string | undefined, c: Colors): string[] {
  const branch = last ? "└─" : "├─";
  const bar = last ? "   " : "│  ";
  const marks = [
    step.destructive ? c.red("DESTRUCTIVE") : "",
    step.always ? c.yellow("always") : "",
    step.skip ? c.dim("skipped") : "",
  ].filter(Boolean);
  const on = step.target ? `[${step.target}]` : "";
  const lines = [`  ${branch} ${c.bold(step.id)}  ${step.title !== step.id ? step.title : ""}  ${on} ${marks.join(" ")}`.trimEnd()];
  const add = (text: string) => lines.push(`  ${bar}    ${text}`);
  if (step.skip) {
    add(c.dim(`not run: ${step.skip}`));
    return lines;
  }
  // Plain sequence is the default; only say so when the graph differs from the listed order.
  const sequential = step.needs.length === 1 && step.needs[0] === previous;
  if (!sequential && step.needs.length > 0) add(c.dim(`after ${step.needs.join(", ")}`));
  if (step.needs.length === 0 && previous !== undefined) add(c.dim("may run in parallel with the steps above"));
  if (step.when) add(`only when ${step.when} (decided at run time)`);
  for (const g of step.guards) add(`guard    ${check(plan, g, step)}`);
  if (step.skipIf) add(`skip if  ${check(plan, step.skipIf, step)}`);
  const command = describeAction(step.action, plan, step.target);
  add(`${c.cyan("run")}      ${prefix(plan, step.target, step.action.kind)}${command[0] ?? ""}`);
  for (const more of command.slice(1)) add(`         ${more}`);
  if (step.destructive) {
    add(
      c.red(`confirm  operator must type "${step.destructive.confirm}"${step.destructive.impact ? ` — ${step.destructive.impact}` : ""}`),
    );
  }
  if (step.capture) add(`capture  stdout as captures.${step.capture.as} (${step.capture.format})`);
  if (step.verify)
    add(
      `verify   every ${formatDuration(step.verify.intervalMs)} for up to ${formatDuration(step.verify.timeoutMs)}: ${check(plan, step.verify, step)}`,
    );
  if (step.retry)
    add(
      `retry    ${step.retry.attempts} attempts, ${formatDuration(step.retry.delayMs)} apart${step.retry.backoff > 1 ? ` ×${step.retry.backoff}` : ""}`,
    );
  if (step.timeoutMs) add(`timeout  ${formatDuration(step.timeoutMs)}`);
  if (step.undo) {
    const undo = describeAction(step.undo.action, plan, step.undo.target);
    add(`undo     ${prefix(plan, step.undo.target, step.undo.action.kind)}${undo.join(" ⏎ ")}`);
  }
  if (step.deferred.length > 0) add(c.dim(`resolved at run time: ${step.deferred.join("; ")}`));
  return lines;
}

function prefix(plan: Plan, target: string | undefined, kind: string): string {
  if (kind !== "sh" || !target) return "";
  return `${describeTarget(plan.targets[target])}: `;
}

function check(plan: Plan, c: PlannedCheck, step: PlannedStep): string {
  const what = c.title ? `${c.title}: ` : "";
  const expect = c.expect.replace(/\s*\n\s*/g, " ");
  if (!c.probe) return `${what}${expect}`;
  const target = c.target ?? step.target;
  const cmd = describeAction(c.probe, plan, target).join(" ⏎ ");
  return `${what}${prefix(plan, target, c.probe.kind)}${cmd}  ⇒ ${expect}`;
}

function colors(on: boolean) {
  const wrap = (code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { bold: wrap("1"), red: wrap("31"), yellow: wrap("33"), cyan: wrap("36"), dim: wrap("2") };
}
