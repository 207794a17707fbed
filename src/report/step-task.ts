import { terminalSafe } from "../util/terminal-safe.js";
/** The listr task a step drives, fed by events that may arrive before listr has started it. */
export interface TaskHandle {
  title: string;
  output: string;
  skip(message: string): void;
}

type Ending = { kind: "done" } | { kind: "skip"; reason: string } | { kind: "fail"; reason: string };

/**
 * Holds one step's title, output and ending until its listr task runs, then applies them: the
 * engine decides everything, listr only draws.
 */
export class StepTask {
  private handle: TaskHandle | undefined;
  private title: string;
  private output = "";
  private ending: Ending | undefined;
  private finish: (() => void) | undefined;
  private failWith: ((error: Error) => void) | undefined;

  constructor(title: string) {
    this.title = terminalSafe(title);
  }

  /** Called by listr when the task starts; resolves when the step ends. */
  run(handle: TaskHandle): Promise<void> {
    this.handle = handle;
    handle.title = this.title;
    if (this.output) handle.output = this.output;
    return new Promise<void>((resolve, reject) => {
      this.finish = resolve;
      this.failWith = reject;
      if (this.ending) this.settle(this.ending);
    });
  }

  /** The task while it runs (for prompts through listr). */
  get task(): TaskHandle | undefined {
    return this.handle;
  }

  setTitle(title: string): void {
    this.title = terminalSafe(title);
    if (this.handle) this.handle.title = title;
  }

  setOutput(output: string): void {
    this.output = terminalSafe(output, true);
    if (this.handle) this.handle.output = output;
  }

  end(ending: Ending): void {
    if (this.ending) return;
    this.ending = ending;
    if (this.finish) this.settle(ending);
  }

  private settle(ending: Ending): void {
    if (ending.kind === "skip") this.handle?.skip(ending.reason);
    if (ending.kind === "fail") this.failWith?.(new Error(ending.reason));
    else this.finish?.();
  }
}
