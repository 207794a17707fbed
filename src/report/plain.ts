import type { EngineEvent } from "../engine/events.js";
import type { Plan } from "../plan/types.js";
import { terminalSafe } from "../util/terminal-safe.js";
import { commandLine, seconds } from "./command-lines.js";
import { Summary } from "./summary.js";

const MARK: Record<string, string> = {
  succeeded: "✓",
  skipped: "↷",
  failed: "✗",
  retrying: "↻",
  "awaiting-confirmation": "?",
  undoing: "↶",
  undone: "↶",
  "undo-failed": "✗",
};

/** One line per event, for logs and pipes (stdout not a terminal, or --output plain). */
export function plainRenderer(plan: Plan, write: (text: string) => void): (event: EngineEvent) => void {
  const summary = new Summary();
  const partial = new Map<string, string>();
  // Hosts, runbooks and command output are input: every control character is shown, never acted on.
  const line = (text: string) => write(`${terminalSafe(text)}\n`);
  return (event) => {
    summary.add(event);
    switch (event.type) {
      case "run":
        line(
          `recover ${event.runbook}: ${event.resumed ? "resuming" : "run"} ${event.runId}${event.journal ? ` (journal ${event.journal})` : ""}`,
        );
        return;
      case "stage":
        if (event.state === "running")
          line(`Stage ${event.index + 1}/${event.count}  ${event.stage}${event.title !== event.stage ? ` — ${event.title}` : ""}`);
        else line(`Stage ${event.stage} ${event.state}${event.reason ? `: ${event.reason}` : ""}`);
        return;
      case "step": {
        const on = event.target ? ` [${event.target}]` : "";
        if (event.state === "running") {
          if (event.attempt && event.attempt > 0)
            line(
              `▶ ${event.step}${on}${event.attempt > 1 ? ` attempt ${event.attempt}` : ""}  ${commandLine(plan, event.action, event.target)}`,
            );
          return;
        }
        if (event.state === "pending") return;
        const took = event.durationMs !== undefined ? ` (${seconds(event.durationMs)})` : "";
        line(`${MARK[event.state] ?? "·"} ${event.step}${on} ${event.state}${took}${event.reason ? `: ${event.reason}` : ""}`);
        return;
      }
      case "output": {
        const key = `${event.step}\u0000${event.stream}`;
        const lines = `${partial.get(key) ?? ""}${event.text}`.split("\n");
        partial.set(key, lines.pop() ?? "");
        for (const l of lines) line(`  │ ${event.step}${event.stream === "stderr" ? " (stderr)" : ""}: ${l}`);
        return;
      }
      case "prompt":
        line(`  ${event.step}: ${event.kind} — ${event.answer}`);
        return;
      case "checkpoint":
        line(
          `⎇ stage ${event.stage}: checkpoint ${event.commit ?? "(nothing to commit)"} ${event.status}${event.pushed ? ", pushed" : ""}`,
        );
        return;
      case "notice":
        line(`! ${event.message}`);
        return;
      case "process":
      case "capture":
        return;
      case "finished":
        for (const l of summary.lines(event)) line(l);
        return;
    }
  };
}
