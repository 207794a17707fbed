/** The trailers that make a checkpoint commit findable from Git alone (resume --from-git, runs --from-git). */

export type CheckpointStatus = "done" | "failed" | "interrupted";

export interface CheckpointTrailers {
  runId: string;
  /** 0-based. */
  stageIndex: number;
  stageCount: number;
  stageId: string;
  status: CheckpointStatus;
  planHash: string;
}

export const TRAILER_KEYS = ["Recover-Run", "Recover-Stage", "Recover-Status", "Recover-Plan"] as const;
const STATUSES: readonly string[] = ["done", "failed", "interrupted"];

/** The plan's checkpoint message, then a blank line and the trailers (git interpret-trailers reads them). */
export function checkpointMessage(message: string, t: CheckpointTrailers): string {
  const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
  return [
    message.trim(),
    "",
    `Recover-Run: ${oneLine(t.runId)}`,
    `Recover-Stage: ${t.stageIndex + 1}/${t.stageCount} ${oneLine(t.stageId)}`,
    `Recover-Status: ${t.status}`,
    `Recover-Plan: ${oneLine(t.planHash)}`,
    "",
  ].join("\n");
}

/** The trailers read back from `git log`'s values (in TRAILER_KEYS order), or undefined when they are not recover's. */
export function parseTrailers(values: string[]): CheckpointTrailers | undefined {
  const [runId, stage, status, planHash] = values.map((v) => v.split(",")[0]?.trim() ?? "");
  const m = /^(\d+)\/(\d+)(?: (\S+))?$/.exec(stage ?? "");
  if (!runId || !m || !status || !STATUSES.includes(status)) return undefined;
  const stageIndex = Number(m[1]) - 1;
  const stageCount = Number(m[2]);
  if (stageIndex < 0 || stageIndex >= stageCount) return undefined;
  return { runId, stageIndex, stageCount, stageId: m[3] ?? "", status: status as CheckpointStatus, planHash: planHash ?? "" };
}
