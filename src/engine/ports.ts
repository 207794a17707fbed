import type { Plan, PlannedAction, PlannedStage, PlannedTarget } from "../plan/types.js";
import type { Transport } from "../transports/types.js";
import type { EngineEvent } from "./events.js";

export type EditAction = Extract<PlannedAction, { kind: "edit" }>;
export type StageStatus = "done" | "failed" | "interrupted";

export interface CheckpointPort {
  /** Before the first step: a work tree on a branch, a git identity, no uncommitted change in a
   *  file the plan edits. Throws a RecoverError whose exitCode is 3 (refused, nothing changed). */
  preflight(plan: Plan): Promise<{ branch: string; head: string }>;
  /** Applies one `edit` step to the checkout: validated first, written all or nothing; a no-op
   *  (changed: false) when the file already says it. Throws with file and path when it cannot apply. */
  applyEdit(step: { id: string; action: EditAction }): Promise<{ file: string; changed: boolean }>;
  /** End of a stage that has `checkpoint` in the plan: one commit with the stage's edited files and
   *  the journal snapshot under .recover/runs/<runId>/journal.jsonl, trailers Recover-Run,
   *  Recover-Stage, Recover-Status, Recover-Plan; pushed when stage.checkpoint.push. The engine
   *  records the stage done only after this resolves; a throw fails the stage. */
  commitStage(input: {
    runId: string;
    planHash: string;
    stage: PlannedStage;
    stageIndex: number; // 0-based
    stageCount: number;
    status: StageStatus;
    journal: string; // JSON lines, secrets already redacted by the engine
  }): Promise<{ commit: string | null; pushed: boolean }>;
  /** Resume: the `done` checkpoint commit this run already made for the stage, reachable from HEAD
   *  (the process stopped after it, before the stage's done record reached the journal, and the
   *  snapshot in the commit never holds that record). When the stage pushes and the upstream lacks
   *  it, it is pushed now (a throw fails the stage). Null: none, the engine commits as usual. */
  committedStage?(input: {
    runId: string;
    stage: PlannedStage;
    stageIndex: number; // 0-based
    stageCount: number;
  }): Promise<{ commit: string; pushed: boolean } | null>;
}

/** Opens the transport of a planned target (the CLI wires the single transport factory). */
export type OpenTransport = (name: string, target: PlannedTarget) => Transport;

/** What a destructive step shows before the operator types its confirm word. */
export interface ConfirmRequest {
  step: string;
  title: string;
  /** Target name in the plan (absent: this machine). */
  target?: string;
  /** The resolved action, shown as the dry-run shows it. */
  action: PlannedAction;
  impact?: string;
  /** What the engine read live just before asking (disk facts, the object as it is now). */
  live?: string;
  word: string;
}

/** `--step`: asked before every step. */
export type StepAnswer = "yes" | "no" | "all" | "quit";

/** Asks the operator; the CLI wires inquirer on the terminal. Absent when there is no terminal. */
export interface EnginePrompter {
  /** Resolves with what the operator typed. */
  confirm(request: ConfirmRequest): Promise<string>;
  step(step: { id: string; title: string; target?: string; action: PlannedAction }): Promise<StepAnswer>;
  /** A `prompt` step: shows the message, resolves once the operator says it is done (false: refused). */
  manual(step: { id: string; message: string }): Promise<boolean>;
}

/** Time, injected so tests and the journal agree on it. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The append-only journal of a run (JSON lines, secrets already redacted). */
export interface JournalPort {
  append(record: JournalRecord): void;
  /** Every record appended so far reaches the disk; a no-op when none is new. The engine decides
   *  when: before a mutating step's command, and before anything acts or waits after one ends. */
  sync(): Promise<void>;
  /** Everything written so far (for the checkpoint snapshot). */
  text(): string;
  readonly location?: string;
}

/** A journal line: the first is the run record, then engine events. */
export type JournalRecord = { type: string } & Record<string, unknown>;

/** Checks, before the first step, that a target is reachable as `recover check` does; throws when not. */
export type ReachTarget = (name: string, target: PlannedTarget, transport: Transport) => Promise<void>;

export interface EngineDeps {
  openTransport: OpenTransport;
  prompter?: EnginePrompter;
  clock: Clock;
  journal: JournalPort;
  checkpoints?: CheckpointPort;
  /** Every event, already redacted. A listener's error never reaches the engine. */
  emit: (event: EngineEvent) => void;
  reach?: ReachTarget;
  /** Takes the run's locks (node, cluster) after preflight; resolves with their release. Throws LockedError. */
  lock?: (plan: Plan) => Promise<() => Promise<void>>;
}
