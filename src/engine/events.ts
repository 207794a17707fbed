import type { PlannedAction } from "../plan/types.js";
import type { OutputStream } from "../transports/types.js";
import type { StepState } from "./step-state.js";

export type StageState = "pending" | "running" | "done" | "failed" | "interrupted";
export type RunOutcome = "done" | "failed" | "refused" | "interrupted" | "locked";

/** A step as the views list it before it runs. */
export interface StepOutline {
  id: string;
  title: string;
  target?: string;
  always: boolean;
}

/**
 * The engine's only output: one tagged union. The live view, the plain lines, JSON lines and the
 * journal all subscribe to it; secrets are redacted once, where events are made.
 */
export type EngineEvent =
  | {
      type: "run";
      runId: string;
      runbook: string;
      planHash: string;
      params: Record<string, unknown>;
      stages: { id: string; title: string; steps: StepOutline[] }[];
      journal?: string;
      resumed: boolean;
      at: number;
    }
  | { type: "stage"; stage: string; index: number; count: number; title: string; state: StageState; reason?: string; durationMs?: number }
  | {
      type: "step";
      step: string;
      stage: string;
      title: string;
      target?: string;
      state: StepState;
      reason?: string;
      attempt?: number;
      exitCode?: number | null;
      durationMs?: number;
      /** The resolved action (on running), which views print as the dry-run does. */
      action?: PlannedAction;
      /** True when the step may change something (not read-only). */
      mutating?: boolean;
      /** On running, a mutating command's marker (RECOVER_RUN on its processes): journalled before it starts. */
      runMarker?: string;
      /** Capped output of the last attempt (failures, the journal). */
      stdoutTail?: string;
      stderrTail?: string;
    }
  | { type: "output"; step: string; stream: OutputStream; text: string }
  | { type: "process"; step: string; target: string; pgid?: number; pid?: number; runMarker?: string }
  | { type: "capture"; step: string; as: string; value: unknown }
  | { type: "prompt"; step: string; kind: "confirm" | "step" | "manual"; answer: string }
  | { type: "checkpoint"; stage: string; index: number; status: string; commit: string | null; pushed: boolean }
  | { type: "notice"; message: string }
  | {
      type: "finished";
      outcome: RunOutcome;
      exitCode: number;
      reason?: string;
      durationMs: number;
      /** Undo and always steps a second Ctrl-C left undone. */
      leftUndone?: string[];
    };

export type EventOf<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;
