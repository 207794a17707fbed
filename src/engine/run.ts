import type { Plan, PlannedStep, PlannedTarget } from "../plan/types.js";
import type { Transport } from "../transports/types.js";
import { capturesView, planSteps } from "./captures.js";
import type { EngineEvent } from "./events.js";
import type { EngineOptions } from "./options.js";
import type { EngineDeps } from "./ports.js";
import { redactor } from "./redact.js";
import { initialState, type RunState, reduce } from "./run-state.js";
import type { RunContext } from "./runtime-expr.js";

const LOCAL: PlannedTarget = { kind: "local" };

/** One run's live state: events in (redacted once), state out of the reducer, transports opened on first use. */
export class Run {
  state: RunState;
  /** Aborted on a failure or Ctrl-C: steps in flight end (their remote commands too). */
  readonly abort = new AbortController();
  /** Aborted by a second Ctrl-C: the cleanup is abandoned. */
  readonly abandon = new AbortController();
  /** Set once the run stops starting steps: why. */
  stopped: { kind: "failed" | "guard" | "refused" | "interrupted"; step?: string; reason: string } | undefined;
  /** True once a mutating step has started in this invocation: a failure is then exit 1, not 3. */
  changed = false;
  /** --step answered "all". */
  stepAll = false;
  readonly steps: PlannedStep[];
  readonly startedAt: number;
  private readonly redact: <T>(value: T) => T;
  private readonly transports = new Map<string, Transport>();
  /** A mutating step's end is in the journal but not yet on disk (see {@link settle}). */
  private endUnsynced = false;
  private lastSync: Promise<void> = Promise.resolve();

  constructor(
    readonly plan: Plan,
    readonly deps: EngineDeps,
    readonly options: EngineOptions,
  ) {
    this.state = options.resume ?? initialState();
    this.redact = redactor(options.secrets);
    this.steps = planSteps(plan);
    this.startedAt = deps.clock.now();
  }

  /** Redacts, updates the state, journals (all but output chunks) and tells the listeners. */
  emit(event: EngineEvent): void {
    const clean = this.redact(event);
    this.state = reduce(this.state, clean);
    // The journal's first line is the run record: the event plus what resume needs (the plan, how it was made).
    if (clean.type === "run") this.deps.journal.append({ ...clean, ...this.redact(this.options.runRecord ?? {}) });
    else if (clean.type !== "output") this.deps.journal.append(clean as EngineEvent & { type: string });
    try {
      this.deps.emit(clean);
    } catch {
      // A view's error must never stop a recovery.
    }
  }

  /** What a step's run-time expressions read. */
  context(step: PlannedStep, result?: unknown): RunContext {
    const { params, inventory, repo } = this.options.context;
    return {
      // A used runbook's step reads that runbook's params.
      params: step.params ? { ...params, ...step.params } : params,
      inventory,
      repo,
      captures: capturesView(this.steps, this.state.captures),
      ...(step.vars ? { vars: step.vars } : {}),
      ...(result !== undefined ? { result } : {}),
    };
  }

  /** The transport of a target name; no name means this machine. */
  transport(name: string | undefined): Transport {
    const key = name ?? "local";
    let transport = this.transports.get(key);
    if (!transport) {
      const target = name ? this.plan.targets[name] : LOCAL;
      if (!target) throw new Error(`the plan has no target ${name}`);
      transport = this.deps.openTransport(key, target);
      this.transports.set(key, transport);
    }
    return transport;
  }

  /** Before a mutating step's command: everything journalled so far, its start among it, on disk. */
  durable(): Promise<void> {
    this.endUnsynced = false;
    this.lastSync = this.deps.journal.sync();
    return this.lastSync;
  }

  /** A mutating step ended: its record reaches the disk with the next sync, which {@link settle} forces. */
  endRecorded(): void {
    this.endUnsynced = true;
  }

  /**
   * Before anything that acts or waits (a command, a wait, a prompt, a checkpoint, the end of the
   * run): the last mutating step's end on disk. A mutating step next in line syncs once for both.
   */
  settle(): Promise<void> {
    return this.endUnsynced ? this.durable() : this.lastSync;
  }

  async close(): Promise<void> {
    await this.settle().catch(() => undefined);
    await Promise.allSettled([...this.transports.values()].map((t) => t.close()));
  }

  stop(stopped: NonNullable<Run["stopped"]>): void {
    this.stopped ??= stopped;
    this.abort.abort();
  }
}
