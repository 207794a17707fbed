/** Per-stage and per-step timings of one recover process, from its JSON-line events as they arrived. */
import type { StageTiming, StepTiming } from "./report.js";

export class Timeline {
  private readonly steps = new Map<string, StepTiming>();
  private readonly stages = new Map<string, StageTiming>();
  finished?: { outcome?: string; exitCode?: number; reason?: string };
  /** Command output and the reasons steps gave (a failed guard's message, a skip's reason). */
  private readonly output: string[] = [];

  constructor(private readonly since: number) {}

  /** One event, received at `at` (ms since the epoch). */
  add(event: Record<string, unknown>, at: number): void {
    const t = at - this.since;
    const str = (k: string) => (typeof event[k] === "string" ? (event[k] as string) : undefined);
    if (event.type === "stage") {
      const id = str("stage") as string;
      const known = this.stages.get(id);
      const stage: StageTiming = known ?? { stage: id, state: "running", startedAt: t, ...(str("title") ? { title: str("title") } : {}) };
      stage.state = str("state") ?? stage.state;
      if (typeof event.durationMs === "number") stage.durationMs = event.durationMs;
      else if (stage.state !== "running") stage.durationMs = t - stage.startedAt;
      this.stages.set(id, stage);
    } else if (event.type === "step") {
      const id = str("step") as string;
      const step: StepTiming = this.steps.get(id) ?? {
        step: id,
        state: "pending",
        startedAt: t,
        attempts: 0,
        ...(str("stage") ? { stage: str("stage") } : {}),
      };
      step.state = str("state") ?? step.state;
      if (typeof event.attempt === "number") step.attempts = Math.max(step.attempts, event.attempt);
      if (typeof event.durationMs === "number") step.durationMs = event.durationMs;
      if (str("reason")) this.output.push(`\n${id}: ${str("reason")}\n`);
      this.steps.set(id, step);
    } else if (event.type === "output" && typeof event.text === "string") {
      this.output.push(event.text);
    } else if (event.type === "finished") {
      this.finished = {
        ...(str("outcome") ? { outcome: str("outcome") } : {}),
        ...(typeof event.exitCode === "number" ? { exitCode: event.exitCode } : {}),
        ...(str("reason") ? { reason: str("reason") } : {}),
      };
    }
  }

  /** Everything the run printed (command output) and said (reasons), to look for the scenario's texts. */
  text(stderr: string): string {
    return [this.output.join(""), this.finished?.reason ?? "", stderr].join("\n");
  }

  stepTimings(): StepTiming[] {
    return [...this.steps.values()];
  }

  stageTimings(): StageTiming[] {
    return [...this.stages.values()];
  }
}
