import { ListrInquirerPromptAdapter } from "@listr2/prompt-adapter-inquirer";
import { Listr, type ListrDefaultRenderer, type ListrSimpleRenderer, type ListrTaskWrapper } from "listr2";
import type { EngineEvent, EventOf } from "../engine/events.js";
import type { Plan } from "../plan/types.js";
import { terminalSafe } from "../util/terminal-safe.js";
import { commandLine, seconds } from "./command-lines.js";
import { StepTask } from "./step-task.js";
import { Summary } from "./summary.js";

const OUTPUT_LINES = 5;

type Wrapper = ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>;

/**
 * The live view on a terminal: listr2 draws stages and steps with state, target, elapsed time
 * and the last lines of a running step's output. The engine drives it through events; prompts
 * go through listr so the drawing and the question never fight over the terminal.
 */
export class LiveView {
  private readonly steps = new Map<string, StepTask>();
  private readonly tails = new Map<string, string[]>();
  private readonly summary = new Summary();
  private listr: Promise<unknown> | undefined;
  private finished: EventOf<"finished"> | undefined;
  private readonly notices: string[] = [];

  constructor(
    private readonly plan: Plan,
    private readonly write: (text: string) => void,
  ) {}

  handle(event: EngineEvent): void {
    this.summary.add(event);
    switch (event.type) {
      case "run":
        this.start(event);
        return;
      case "step":
        this.step(event);
        return;
      case "output":
        this.output(event);
        return;
      case "notice":
        // listr owns the terminal while it draws: notices come with the summary.
        this.notices.push(event.message);
        return;
      case "finished":
        this.finished = event;
        for (const task of this.steps.values()) task.end({ kind: "skip", reason: "not run" });
        return;
    }
  }

  /** Asks through the running step's listr task (inquirer inside listr), or undefined when it is not running. */
  async ask<T>(stepId: string, ask: (adapter: ListrInquirerPromptAdapter) => Promise<T>): Promise<T | undefined> {
    const task = this.steps.get(stepId)?.task as unknown as Wrapper | undefined;
    if (!task) return undefined;
    return ask(task.prompt(ListrInquirerPromptAdapter));
  }

  /** Shows text under a step (the blast radius before its question). */
  note(stepId: string, text: string): void {
    this.steps.get(stepId)?.setOutput(text);
  }

  /** Waits for listr to draw the end, then prints the summary. */
  async close(): Promise<void> {
    await this.listr?.catch(() => undefined);
    for (const notice of this.notices) this.write(`! ${terminalSafe(notice)}\n`);
    if (this.finished)
      this.write(
        `${this.summary
          .lines(this.finished)
          .map((l) => terminalSafe(l))
          .join("\n")}\n`,
      );
  }

  private start(run: EventOf<"run">): void {
    for (const stage of run.stages)
      for (const step of stage.steps)
        this.steps.set(
          step.id,
          new StepTask(`${step.id}${step.target ? ` [${step.target}]` : ""}  ${step.title !== step.id ? step.title : ""}`.trim()),
        );
    const listr = new Listr<unknown, "default", "simple">(
      run.stages.map((stage, i) => ({
        title: terminalSafe(`Stage ${i + 1}/${run.stages.length}  ${stage.id}${stage.title !== stage.id ? ` — ${stage.title}` : ""}`),
        task: (_ctx: unknown, task: Wrapper) =>
          task.newListr(
            stage.steps.map((step) => ({
              title: step.id,
              task: (_c: unknown, t: Wrapper) => (this.steps.get(step.id) as StepTask).run(t),
              rendererOptions: { outputBar: OUTPUT_LINES, persistentOutput: false },
            })),
            { concurrent: true, exitOnError: false },
          ),
      })),
      {
        concurrent: false,
        exitOnError: false,
        registerSignalListeners: false,
        rendererOptions: { collapseSubtasks: false },
      },
    );
    this.listr = listr.run();
  }

  private step(event: EventOf<"step">): void {
    const task = this.steps.get(event.step);
    if (!task) return;
    const on = event.target ? ` [${event.target}]` : "";
    if (event.state === "running" && event.attempt && event.attempt > 0) {
      this.tails.set(event.step, []);
      task.setOutput("");
      task.setTitle(
        `${event.step}${on}  ${commandLine(this.plan, event.action, event.target)}${event.attempt > 1 ? `  (attempt ${event.attempt})` : ""}`,
      );
    } else if (event.state === "retrying") task.setOutput(event.reason ?? "retrying");
    else if (event.state === "awaiting-confirmation") task.setTitle(`${event.step}${on}  awaiting confirmation`);
    else if (event.state === "succeeded") {
      task.setTitle(`${event.step}${on}${event.durationMs !== undefined ? `  (${seconds(event.durationMs)})` : ""}`);
      task.end({ kind: "done" });
    } else if (event.state === "skipped") task.end({ kind: "skip", reason: `${event.step}: ${event.reason ?? "skipped"}` });
    else if (event.state === "failed") task.end({ kind: "fail", reason: `${event.step}: ${event.reason ?? "failed"}` });
  }

  private output(event: EventOf<"output">): void {
    const lines = [...(this.tails.get(event.step) ?? []), ...event.text.split("\n").filter((l) => l.length > 0)].slice(-OUTPUT_LINES);
    this.tails.set(event.step, lines);
    this.steps.get(event.step)?.setOutput(lines.join("\n"));
  }
}
