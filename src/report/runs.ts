import type { ReadJournal } from "../engine/journal-read.js";
import { isSettled } from "../engine/step-state.js";
import { seconds } from "./command-lines.js";

/** One row of `recover runs`. */
export interface RunRow {
  id: string;
  runbook: string;
  params: Record<string, unknown>;
  state: string;
  started: string;
  durationMs?: number;
}

/** What a journal says about its run, for listing. */
export function runRow(journal: ReadJournal): RunRow {
  const last = journal.records.at(-1);
  const state = journal.finished?.outcome ?? (last?.type === "finished" ? String(last.outcome) : "unfinished (process ended)");
  return {
    id: journal.runId,
    runbook: journal.plan.runbook.name,
    params: journal.plan.params,
    state,
    started: new Date(journal.startedAt).toISOString(),
    ...(journal.finished ? { durationMs: journal.finished.durationMs } : {}),
  };
}

export function runsTable(rows: RunRow[]): string {
  if (rows.length === 0) return "no runs yet\n";
  const lines = rows.map((r) =>
    [r.id, r.runbook, paramsText(r.params), r.state, r.started, r.durationMs !== undefined ? seconds(r.durationMs) : "-"].join("  "),
  );
  return `${["ID", "RUNBOOK", "PARAMS", "STATE", "STARTED", "DURATION"].join("  ")}\n${lines.join("\n")}\n`;
}

/** `recover runs show ID`: the run, then every step's last state and why. */
export function runText(journal: ReadJournal): string {
  const row = runRow(journal);
  const lines = [`run ${row.id}  ${row.runbook} ${paramsText(row.params)}`, `  state    ${row.state}`, `  started  ${row.started}`];
  if (journal.finished?.reason) lines.push(`  reason   ${journal.finished.reason}`);
  for (const stage of journal.plan.stages) {
    lines.push(`Stage ${stage.id}: ${journal.state.stages[stage.id] ?? "pending"}`);
    for (const step of stage.steps) {
      const record = journal.state.steps.get(step.id);
      const mark = record ? (isSettled(record.state) ? "✓" : "✗") : " ";
      lines.push(`  ${mark} ${step.id}  ${record?.state ?? "pending"}${record?.reason ? `: ${record.reason}` : ""}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** `runs show ID -o json`: the same as data. */
export function runJson(journal: ReadJournal): unknown {
  return {
    ...runRow(journal),
    planHash: journal.planHash,
    stages: journal.state.stages,
    steps: journal.state.steps.toJSON(),
    captures: journal.state.captures,
  };
}

const paramsText = (params: Record<string, unknown>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : String(v)}`)
    .join(" ");
