import type { Plan, PlannedStep } from "../plan/types.js";
import { shortPath } from "../util/paths.js";
import type { Colors } from "./colors.js";
import { describeTarget } from "./describe.js";
import { durationRange, humanDuration } from "./duration-range.js";
import type { Row } from "./layout.js";
import { describeValue } from "./values.js";

const lead = (label: string) => `  ${label.padEnd(11)}`;

/** What a disk-shaped foreach item (an inventory disk) says about the device a destructive step destroys. */
interface Disk {
  name?: string;
  device: string;
  size?: number;
  serial?: string;
}

/**
 * The top of the preview: what runs where, and what the operator is agreeing to — what is
 * destroyed (per target: devices with size and serial), the words to type, what Git receives,
 * and how long it may take.
 */
export function summaryRows(plan: Plan, base: string | undefined, c: Colors): Row[] {
  const rows: Row[] = [];
  const add = (label: string, text: string, paint?: Row["paint"]) => {
    const indent = /^ */.exec(text)?.[0] ?? "";
    rows.push({ lead: `${lead(label)}${indent}`, text: text.slice(indent.length), ...(paint ? { paint } : {}) });
  };
  const steps = plan.stages.flatMap((s) => s.steps).filter((s) => !s.skip);
  rows.push({ lead: "  ", text: plan.runbook.summary });
  add("runbook", shortPath(plan.runbook.file, base));
  if (plan.inventory) add("inventory", shortPath(plan.inventory, base));
  const args = Object.entries(plan.params).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : String(v)}`);
  add("params", args.join("  ") || "none");
  for (const [i, [name, target]] of Object.entries(plan.targets).entries())
    add(i === 0 ? "targets" : "", `${name}: ${describeTarget(target)}`);
  add("stages", `${plan.stages.length}: ${plan.stages.map((s) => s.id).join(" → ")}`);
  const destructive = steps.filter((s) => s.destructive);
  const marked = destructive.length ? `${destructive.length} destructive (each waits for the operator to type a word)` : "none destructive";
  add("steps", `${steps.length}, ${marked}`);
  destroyedRows(plan, destructive, add, c);
  for (const [i, [word, by]] of confirmations(destructive).entries())
    add(i === 0 ? "you type" : "", `"${word}" before ${by.join(", ")}`, c.red);
  gitRows(plan, base, add);
  const { minMs, maxMs, unbounded } = durationRange(plan);
  const extra = unbounded > 0 ? ` (${unbounded} steps have no timeout)` : "";
  add(
    "duration",
    `${minMs > 0 ? `at least ${humanDuration(minMs)} of waits, ` : ""}up to about ${humanDuration(maxMs)} of waiting on verify deadlines, plus the commands' own time${extra}`,
  );
  add("legend", "result is a probe's output, captures.* what an earlier step captured: both only known at run time");
  return rows;
}

type Add = (label: string, text: string, paint?: Row["paint"]) => void;

function destroyedRows(plan: Plan, destructive: PlannedStep[], add: Add, c: Colors): void {
  type Destroyed = { disks: Map<string, { disk: Disk; steps: string[] }>; other: PlannedStep[] };
  const byTarget = new Map<string, Destroyed>();
  for (const step of destructive) {
    const key = step.target ?? "";
    const entry: Destroyed = byTarget.get(key) ?? { disks: new Map(), other: [] };
    byTarget.set(key, entry);
    const disk = diskOf(step);
    if (!disk) {
      entry.other.push(step);
      continue;
    }
    const seen = entry.disks.get(disk.device) ?? { disk, steps: [] };
    seen.steps.push(step.origin.step);
    entry.disks.set(disk.device, seen);
  }
  let first = true;
  for (const [target, { disks, other }] of byTarget) {
    add(first ? "destroys" : "", `${target ? `${target} — ` : ""}${describeTarget(plan.targets[target])}:`, c.red);
    first = false;
    for (const { disk, steps } of disks.values()) {
      const facts = [
        disk.serial !== undefined ? `serial ${disk.serial}` : "no serial in the inventory",
        disk.size !== undefined ? describeValue("size", disk.size) : "no size in the inventory",
      ];
      add("", `  ${disk.name ? `${disk.name}  ` : ""}${disk.device}`, c.red);
      add("", `    ${facts.join(", ")}; by ${steps.join(", ")}`, c.red);
    }
    for (const step of other) add("", `  ${step.id}: ${step.destructive?.impact ?? step.title}`, c.red);
  }
  if (first) add("destroys", "nothing: no step is destructive");
}

/** The device a destructive step destroys, when its foreach item is a disk (has a `device`). */
function diskOf(step: PlannedStep): Disk | undefined {
  for (const value of Object.values(step.vars ?? {})) {
    if (value && typeof value === "object" && typeof (value as Disk).device === "string") return value as Disk;
  }
  return undefined;
}

/** Each word to type, with the steps that ask for it, in plan order. */
function confirmations(destructive: PlannedStep[]): [string, string[]][] {
  const words = new Map<string, string[]>();
  for (const step of destructive) {
    const word = step.destructive?.confirm as string;
    words.set(word, [...(words.get(word) ?? []), step.id]);
  }
  return [...words];
}

function gitRows(plan: Plan, base: string | undefined, add: Add): void {
  const commits = plan.stages.filter((s) => s.checkpoint);
  if (commits.length === 0) {
    add("git", "nothing: no stage ends with a checkpoint");
    return;
  }
  const pushed = commits.filter((s) => s.checkpoint?.push).length;
  const where = plan.gitops ? ` in ${shortPath(plan.gitops.dir, base)}${plan.gitops.branch ? ` on ${plan.gitops.branch}` : ""}` : "";
  const without = plan.stages.filter((s) => !s.checkpoint).map((s) => s.id);
  const per = `one at the end of every stage${without.length ? ` but ${without.join(", ")}` : ""}`;
  const remote = plan.gitops?.remote ? ` to ${plan.gitops.remote}` : "";
  const push = pushed === 0 ? "none pushed" : pushed === commits.length ? `each pushed${remote}` : `${pushed} pushed${remote}`;
  add("git", `${commits.length} commits${where} (${per}), ${push}`);
  for (const stage of commits) {
    const files = stage.checkpoint?.files ?? [];
    if (files.length > 0) add("", `  ${stage.id}: ${files.join(", ")}`);
  }
  const empty = commits.filter((s) => (s.checkpoint?.files.length ?? 0) === 0).map((s) => s.id);
  if (empty.length > 0) add("", `  no file changes (empty commits): ${empty.join(", ")}`);
}
