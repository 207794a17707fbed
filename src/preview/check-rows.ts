import type { KnownValue, Plan, PlannedCheck, PlannedStep } from "../plan/types.js";
import type { Colors } from "./colors.js";
import { commandText } from "./command-text.js";
import type { Row } from "./layout.js";
import { describeKnown } from "./values.js";

/** Leads of the lines under a check's heading: `probe`, `expect`, `where`, `message`. */
const sub = (indent: string, label: string) => `${indent}  ${label.padEnd(8)}`;

/**
 * A guard, skipIf or verify: its heading, then the probe as it runs, the expectation as written,
 * every value the expectation reads resolved beside it, and the message shown when it fails.
 */
export function checkRows(plan: Plan, step: PlannedStep, check: PlannedCheck, lead: string, heading: string, c: Colors): Row[] {
  const under = lead.replace(/[^│]/g, " ");
  const rows: Row[] = [{ lead, text: heading }];
  if (check.probe) {
    const target = check.target ?? step.target;
    const lines = commandText(plan, check.probe, target);
    rows.push({ lead: sub(under, "probe"), text: lines[0] ?? "" });
    for (const more of lines.slice(1)) rows.push({ lead: sub(under, ""), text: more });
  }
  rows.push({ lead: sub(under, "expect"), text: check.expect.replace(/\s*\n\s*/g, " ") });
  rows.push(...knownRows(plan, check.known, under));
  if (check.message) rows.push({ lead: sub(under, "message"), text: check.message, paint: c.yellow });
  return rows;
}

/** `where` lines: each value an expression reads, resolved or said to be a run-time value. */
export function knownRows(plan: Plan, known: readonly KnownValue[] | undefined, under: string): Row[] {
  return (known ?? []).map((k, i) => ({ lead: sub(under, i === 0 ? "where" : ""), text: describeKnown(k, plan) }));
}
