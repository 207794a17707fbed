import { planHash } from "../../engine/plan-hash.js";
import type { Plan } from "../../plan/types.js";

/**
 * A journal from Git, for a checkout at another path than the lost machine's: its run record's
 * paths under the old checkout (invocation, plan, runbook file) are rewritten to the new one, and
 * the plan hash follows, so resume compares like with like. Every later record is kept verbatim;
 * the text is returned unchanged when nothing moved.
 */
export function relocateJournal(
  text: string,
  checkout: string,
  /** The runbook's file now, by name (when the journalled file is not at the moved path either). */
  findRunbook: (name: string) => string | undefined,
  exists: (file: string) => boolean,
): { text: string; moved?: { from: string; to: string } } {
  const end = text.indexOf("\n");
  const first = JSON.parse(end < 0 ? text : text.slice(0, end)) as {
    invocation?: { gitops?: string; runbook?: string };
    plan?: Plan;
    planHash?: string;
  };
  const old = first.invocation?.gitops;
  if (!old || old === checkout || !first.plan) return { text };
  const moves: [string, string][] = [[old, checkout]];
  const runbook = first.invocation?.runbook;
  if (runbook && !exists(movePath(runbook, moves))) {
    const found = findRunbook(first.plan.runbook.name);
    if (found) moves.push([runbook, found]);
  }
  const record = mapStrings(first, (s) => movePath(s, moves)) as typeof first;
  const hashed = first.planHash === planHash(first.plan) && record.plan ? { ...record, planHash: planHash(record.plan) } : record;
  return { text: `${JSON.stringify(hashed)}${end < 0 ? "\n" : text.slice(end)}`, moved: { from: old, to: checkout } };
}

/** A path equal to or under a moved one, moved; any other string as it is. */
function movePath(s: string, moves: [string, string][]): string {
  for (const [from, to] of [...moves].reverse()) {
    if (s === from) return to;
    if (s.startsWith(`${from}/`)) return to + s.slice(from.length);
  }
  return s;
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}
