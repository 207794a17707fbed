import type { Plan } from "../plan/types.js";
import type { EngineEvent } from "./events.js";
import { parseJournal } from "./journal-file.js";
import type { JournalRecord } from "./ports.js";
import { type RunState, replay } from "./run-state.js";

/** A journal read back: its first run record, the state its events replay to, and how it last ended. */
export interface ReadJournal {
  runId: string;
  planHash: string;
  plan: Plan;
  invocation: { runbook: string; args: string[]; param: string[]; inventory?: string; gitops?: string };
  startedAt: number;
  state: RunState;
  records: JournalRecord[];
  /** The last finished record; undefined when the process died. */
  finished?: Extract<EngineEvent, { type: "finished" }>;
}

/** Reads a journal's text (from the state directory, or given back by a checkpoint commit). */
export function readJournal(text: string): ReadJournal {
  const records = parseJournal(text);
  const first = records[0];
  if (first?.type !== "run") throw new Error("the journal does not start with a run record");
  const events = records.filter((r) => r.type !== "run") as unknown as EngineEvent[];
  const finished = [...events].reverse().find((e) => e.type === "finished") as ReadJournal["finished"];
  // Events after the last finished record belong to a resume that died: they count too.
  return {
    runId: String(first.runId),
    planHash: String(first.planHash),
    plan: first.plan as Plan,
    invocation: first.invocation as ReadJournal["invocation"],
    startedAt: Number(first.at),
    state: replay(events),
    records,
    ...(finished && events.at(-1) === finished ? { finished } : {}),
  };
}
