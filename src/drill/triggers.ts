/** Which of a scenario's faults fire on an event of the run: pure, so the order is testable. */
import type { FaultSpec, Trigger } from "./scenario.js";

/** The part of a run event a trigger looks at (a line of `recover … -o json`). */
export interface RunEventView {
  type: string;
  step?: string;
  stage?: string;
  state?: string;
  attempt?: number;
}

/** True when `trigger` fires on `event` (a step's start is its first `running` with an attempt ≥ 1, after its checks). */
export function fires(trigger: Trigger, event: RunEventView): boolean {
  if (trigger === "start" || "seconds" in trigger) return false;
  if ("step" in trigger) {
    if (event.type !== "step" || event.step !== trigger.step) return false;
    if (trigger.state === "running") return event.state === "running" && (event.attempt ?? 0) >= 1;
    return event.state === trigger.state;
  }
  return event.type === "stage" && event.stage === trigger.stage && event.state === trigger.state;
}

/** The faults (by index) an event fires that have not fired yet. */
export function firedBy(faults: readonly FaultSpec[], event: RunEventView, fired: ReadonlySet<number>): number[] {
  return faults.flatMap((f, i) => (!fired.has(i) && fires(f.at, event) ? [i] : []));
}

/** Human words for a trigger, for the report. */
export function describeTrigger(trigger: Trigger): string {
  if (trigger === "start") return "before the run";
  if ("seconds" in trigger) return `${trigger.seconds} s into the run`;
  if ("step" in trigger)
    return trigger.state === "running" ? `when step ${trigger.step} starts` : `when step ${trigger.step} is ${trigger.state}`;
  return trigger.state === "done" ? `after stage ${trigger.stage}` : `when stage ${trigger.stage} fails`;
}
