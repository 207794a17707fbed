import type { Plan } from "../plan/types.js";
import { colors } from "./colors.js";
import { forDisplay } from "./display-copy.js";
import { failureRows } from "./failure-rows.js";
import { layoutRows, type Row } from "./layout.js";
import { stepRows } from "./step-rows.js";
import { summaryRows } from "./summary-rows.js";

export interface TextOptions {
  /** Wrap marks in ANSI colours (only on a TTY). */
  color?: boolean;
  /** Paths below it are shown relative to it (the caller passes its working directory). */
  base?: string;
  /** Terminal columns to fit (default 120): long lines wrap under their step. */
  width?: number;
  /** Every line whole, however long (`--wide`). */
  wide?: boolean;
  /** Lines shown under a stage's checkpoint: the diff it would commit (`--diff`). */
  checkpointDetail?: (stageIndex: number) => DetailLine[];
}

/** A line under a checkpoint; its tone picks the colour (a diff's added and removed lines, its headers, notes). */
export interface DetailLine {
  text: string;
  tone?: "added" | "removed" | "hunk" | "header" | "note" | "problem";
}

export const DEFAULT_WIDTH = 120;

/**
 * The dry-run preview: a summary of what the operator agrees to, then by stage every step with
 * its target, exact command, checks with the values they compare against, marks, the stage's
 * Git checkpoint, and what a failure in the stage leaves to run.
 */
export function renderText(shown: Plan, options: TextOptions = {}): string {
  // Every string of the plan with its control characters escaped: values never act on the terminal.
  const plan = forDisplay(shown);
  const c = colors(options.color ?? false);
  const rows: Row[] = [{ lead: "", text: `recover ${plan.runbook.name} — dry run: nothing is executed`, paint: c.bold }];
  rows.push(...summaryRows(plan, options.base, c));
  for (const [s, stage] of plan.stages.entries()) {
    rows.push({ lead: "", text: "" });
    const title = `Stage ${s + 1}/${plan.stages.length}  ${stage.id}${stage.title !== stage.id ? ` — ${stage.title}` : ""}`;
    rows.push({ lead: "", text: title, paint: c.bold });
    for (const [i, step] of stage.steps.entries()) {
      const last = i === stage.steps.length - 1 && !stage.checkpoint;
      rows.push(...stepRows(plan, step, last, stage.steps[i - 1]?.id, c));
    }
    if (stage.checkpoint) {
      const files = stage.checkpoint.files.length ? stage.checkpoint.files.join(", ") : "no file changes (empty commit)";
      const push = stage.checkpoint.push ? ", then push" : "";
      rows.push({ lead: "  └─ ", text: `checkpoint git commit "${stage.checkpoint.message}" — ${files}${push}`, paint: c.cyan });
      const tones = { added: c.green, removed: c.red, hunk: c.cyan, header: c.bold, note: c.dim, problem: c.red };
      for (const line of options.checkpointDetail?.(s) ?? [])
        rows.push({ lead: "        ", text: line.text, ...(line.tone ? { paint: tones[line.tone] } : {}) });
    }
    rows.push(...failureRows(plan, s, c));
  }
  return `${layoutRows(rows, { width: options.width ?? DEFAULT_WIDTH, wide: options.wide ?? false }).join("\n")}\n`;
}
