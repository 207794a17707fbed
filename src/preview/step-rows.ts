import type { Plan, PlannedStep } from "../plan/types.js";
import { formatDuration } from "../runbook/duration.js";
import { checkRows, knownRows } from "./check-rows.js";
import type { Colors } from "./colors.js";
import { commandText } from "./command-text.js";
import type { Row } from "./layout.js";

/**
 * One step of the tree, in the order the engine goes through it: when, skip if, guards, the
 * confirmation, the command, capture, verify, retry and timeout, then its undo.
 */
export function stepRows(plan: Plan, step: PlannedStep, last: boolean, previous: string | undefined, c: Colors): Row[] {
  const bar = last ? "     " : "  │  ";
  const lead = (label: string) => `${bar}    ${label.padEnd(9)}`;
  const marks = [
    step.destructive ? "DESTRUCTIVE" : "",
    step.readOnly ? "read-only" : "",
    step.always ? "always" : "",
    step.skip ? "skipped" : "",
  ].filter(Boolean);
  // Target and marks before the title, so DESTRUCTIVE stays on the first line when the title wraps.
  const head = [step.id, step.target ? `[${step.target}]` : "", ...marks].filter(Boolean).join(" ");
  const rows: Row[] = [
    {
      lead: `  ${last ? "└─" : "├─"} `,
      text: step.title !== step.id ? `${head}  ${step.title}` : head,
      paint: (piece, i) => (i === 0 && piece.startsWith(head) ? paintHead(head, step.id, c) + piece.slice(head.length) : piece),
    },
  ];
  const add = (label: string, text: string, paint?: Row["paint"]) => rows.push({ lead: lead(label), text, ...(paint ? { paint } : {}) });
  if (step.skip) {
    add("", `not run: ${step.skip}`, c.dim);
    return rows;
  }
  // Plain sequence is the default; only say so when the graph differs from the listed order.
  const sequential = step.needs.length === 1 && step.needs[0] === previous;
  if (!sequential && step.needs.length > 0) add("", `after ${step.needs.join(", ")}`, c.dim);
  if (step.needs.length === 0 && previous !== undefined) add("", "may run in parallel with the steps above", c.dim);
  if (step.when) {
    add("when", `${step.when}  (decided at run time)`);
    rows.push(...knownRows(plan, step.whenKnown, lead("").replace(/[^│]/g, " ")));
  }
  if (step.skipIf) rows.push(...checkRows(plan, step, step.skipIf, lead("skip if"), step.skipIf.title ?? "this holds", c));
  for (const guard of step.guards) rows.push(...checkRows(plan, step, guard, lead("guard"), guard.title ?? "this must hold", c));
  if (step.destructive) {
    if (step.destructive.impact) add("impact", step.destructive.impact, c.red);
    add("confirm", `operator must type "${step.destructive.confirm}" before it runs`, c.red);
  }
  const command = commandText(plan, step.action, step.target);
  add("run", command[0] ?? "", c.cyan);
  for (const more of command.slice(1)) add("", more, c.cyan);
  // The `when` says so itself; what is left are values inside the command, filled in when it runs.
  const later = step.deferred.filter((d) => d !== step.when);
  if (later.length > 0) add("", `resolved at run time: ${later.join("; ")}`, c.dim);
  if (step.capture) add("capture", `stdout as captures.${step.capture.as} (${step.capture.format})`);
  if (step.verify) {
    const every = `every ${formatDuration(step.verify.intervalMs)} for up to ${formatDuration(step.verify.timeoutMs)}`;
    rows.push(
      ...checkRows(plan, step, step.verify, lead("verify"), step.verify.title ? `${step.verify.title} — ${every}` : `polled ${every}`, c),
    );
  }
  if (step.retry) {
    const backoff = step.retry.backoff > 1 ? ` ×${step.retry.backoff}` : "";
    add("retry", `${step.retry.attempts} attempts, ${formatDuration(step.retry.delayMs)} apart${backoff}`);
  }
  if (step.timeoutMs) add("timeout", formatDuration(step.timeoutMs));
  if (step.undo) {
    const undo = commandText(plan, step.undo.action, step.undo.target ?? step.target);
    add("undo", `${step.undo.title ? `${step.undo.title}: ` : ""}${undo[0] ?? ""}`);
    for (const more of undo.slice(1)) add("", more);
  }
  return rows;
}

/** The step's id in bold, its marks in colour. */
function paintHead(head: string, id: string, c: Colors): string {
  const marks = head.slice(id.length).replace(/ (DESTRUCTIVE|always|skipped)\b/g, (_m, mark: string) => {
    const paint = mark === "DESTRUCTIVE" ? c.red : mark === "always" ? c.yellow : c.dim;
    return ` ${paint(mark)}`;
  });
  return c.bold(id) + marks;
}
