import type { EngineEvent } from "../engine/events.js";
import { seconds } from "./command-lines.js";

/** Collects what the end-of-run summary says: ran, skipped and why, failed, undone, time per stage, the journal. */
export class Summary {
  private runId = "";
  private journal: string | undefined;
  private readonly ran: string[] = [];
  private readonly skipped: string[] = [];
  private readonly failed: string[] = [];
  private readonly undone: string[] = [];
  private readonly stages: string[] = [];

  add(event: EngineEvent): void {
    if (event.type === "run") {
      this.runId = event.runId;
      this.journal = event.journal;
    } else if (event.type === "stage" && event.state !== "running") {
      this.stages.push(`${event.stage} ${event.state}${event.durationMs !== undefined ? ` in ${seconds(event.durationMs)}` : ""}`);
    } else if (event.type === "step") {
      if (event.state === "succeeded") this.ran.push(event.step);
      if (event.state === "skipped") this.skipped.push(`${event.step} (${event.reason ?? "skipped"})`);
      if (event.state === "failed") this.failed.push(`${event.step}: ${event.reason ?? "failed"}`);
      if (event.state === "undone") this.undone.push(event.step);
      if (event.state === "undo-failed") this.failed.push(`undo of ${event.step}: ${event.reason ?? "failed"}`);
    }
  }

  /** The summary's lines for the finished event. */
  lines(finished: Extract<EngineEvent, { type: "finished" }>): string[] {
    const out = [`${headline(finished.outcome)} in ${seconds(finished.durationMs)} (exit ${finished.exitCode})`];
    if (finished.reason) out.push(`  reason    ${finished.reason}`);
    out.push(`  ran       ${this.ran.length ? this.ran.join(", ") : "nothing"}`);
    if (this.skipped.length) out.push(`  skipped   ${this.skipped.join("; ")}`);
    if (this.failed.length) out.push(`  failed    ${this.failed.join("; ")}`);
    if (this.undone.length) out.push(`  undone    ${this.undone.join(", ")}`);
    if (finished.leftUndone?.length) out.push(`  LEFT UNDONE (second Ctrl-C): ${finished.leftUndone.join(", ")}`);
    if (this.stages.length) out.push(`  stages    ${this.stages.join("; ")}`);
    if (this.journal) out.push(`  journal   ${this.journal}`);
    if (finished.outcome === "interrupted" || finished.outcome === "failed") out.push(`  resume    recover resume ${this.runId}`);
    if (finished.outcome === "refused") out.push("  next      fix what the reason names, then run the same command again");
    return out;
  }
}

function headline(outcome: string): string {
  switch (outcome) {
    case "done":
      return "done";
    case "interrupted":
      return "interrupted; resumable";
    case "refused":
      return "refused; nothing was changed";
    case "locked":
      return "not started: another run holds the lock";
    default:
      return "stopped after changing things";
  }
}
