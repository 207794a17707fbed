import type { Plan } from "../plan/types.js";
import { terminalSafe } from "../util/terminal-safe.js";

// Fields that are several lines by nature; everywhere else a newline could fake a line of the preview.
const MULTILINE = new Set(["script", "content"]);

/**
 * A copy of the plan for showing on a terminal: every string (keys too) with its control
 * characters escaped, so a value holding `\r\e[2K` cannot paint a harmless command over the real one.
 */
export function forDisplay(plan: Plan): Plan {
  return safeCopy(plan, false) as Plan;
}

function safeCopy(value: unknown, keepNewlines: boolean): unknown {
  if (typeof value === "string") return terminalSafe(value, keepNewlines);
  if (Array.isArray(value)) return value.map((v) => safeCopy(v, keepNewlines));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [terminalSafe(k), safeCopy(v, MULTILINE.has(k))]));
  }
  return value;
}
