import type { EngineEvent } from "../engine/events.js";
import type { Plan } from "../plan/types.js";
import { commandLines } from "./command-lines.js";

/**
 * --output json: one JSON object per line, as documented in docs/run-events.md. Step events
 * that carry an action also carry `command`, the lines the dry-run prints for it.
 */
export function jsonRenderer(plan: Plan, write: (text: string) => void): (event: EngineEvent) => void {
  return (event) => {
    const out = event.type === "step" && event.action ? { ...event, command: commandLines(plan, event.action, event.target) } : event;
    write(`${JSON.stringify(out)}\n`);
  };
}
