import type { Plan } from "../plan/types.js";

/** How long a run may take, from what the plan bounds: waits, verify deadlines, timeouts and retry delays. */
export interface DurationRange {
  /** The waits alone: no run is shorter. */
  minMs: number;
  /** Every verify polling to its deadline, every timeout reached on every attempt, every retry delay waited. */
  maxMs: number;
  /** Steps whose command has no timeout: their own time is on top of maxMs. */
  unbounded: number;
}

export function durationRange(plan: Plan): DurationRange {
  let minMs = 0;
  let maxMs = 0;
  let unbounded = 0;
  for (const step of plan.stages.flatMap((s) => s.steps)) {
    if (step.skip) continue;
    const attempts = step.retry?.attempts ?? 1;
    if (step.action.kind === "wait") {
      minMs += step.action.ms;
      maxMs += step.action.ms * attempts;
    } else if (step.action.kind === "prompt") unbounded++;
    else if (step.timeoutMs) maxMs += step.timeoutMs * attempts;
    else if (step.action.kind !== "edit") unbounded++;
    if (step.retry) {
      let delay = step.retry.delayMs;
      for (let i = 1; i < attempts; i++, delay *= step.retry.backoff) maxMs += delay;
    }
    maxMs += step.verify?.timeoutMs ?? 0;
  }
  return { minMs, maxMs, unbounded };
}

/** 3_780_000 → "1h 3m"; under a minute in seconds. */
export function humanDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return h > 0 ? `${h}h${m ? ` ${m}m` : ""}` : `${m}m`;
}
