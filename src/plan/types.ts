import type { ParamValue } from "../runbook/params.js";
import type { TransportTarget } from "../transports/target.js";
import type { PlanInputs } from "./inputs.js";

/** Where a planned step came from in the runbook source. */
export interface StepOrigin {
  runbook: string;
  file: string;
  line: number;
  column: number;
  /** The step id as written (a planned id adds `[key]` for foreach and `parent.` for uses). */
  step: string;
}

/** A target resolved by the planner: exactly what the transport factory (transports/open.ts) opens. */
export type PlannedTarget = TransportTarget;

export type PlannedAction =
  | { kind: "sh"; script: string }
  | { kind: "kubectl"; argv: string[] }
  | { kind: "local"; argv: string[] }
  | {
      kind: "edit";
      file: string;
      document?: { kind?: string; name?: string };
      set?: Record<string, unknown>;
      unset?: string[];
      content?: string;
      remove?: boolean;
    }
  | { kind: "wait"; ms: number }
  | { kind: "prompt"; message: string };

export type ProbeAction = Extract<PlannedAction, { kind: "sh" | "kubectl" | "local" }>;

/**
 * A value an expression reads, as the planner found it: resolved when known at plan time (params,
 * inventory, foreach items), else marked as known only at run time. The preview shows them beside
 * the expression, so the reviewer sees "disk.serial = WD-…" instead of only `disk.serial`.
 */
export interface KnownValue {
  /** The member chain as written in the expression: `disk.serial`, `inventory.nodes[params.node].disks`. */
  path: string;
  /** Where a plan-time value comes from: "param", "inventory", "inventory disk sdf1" (a foreach item). */
  source?: string;
  /** The value at plan time (absent when `missing` or `runtime`). */
  value?: unknown;
  /** Not set at plan time (an optional field left out of the inventory). */
  missing?: boolean;
  /** Known only at run time: a probe's result, an earlier step's capture, or a secret param. */
  runtime?: "result" | "capture" | "secret";
}

export interface PlannedCheck {
  title?: string;
  target?: string;
  probe?: ProbeAction;
  /** CEL over `result` and the context; evaluated by the engine. */
  expect: string;
  message?: string;
  /** What `expect` reads, resolved where the plan knows it. */
  known?: KnownValue[];
}

export interface PlannedVerify extends PlannedCheck {
  intervalMs: number;
  timeoutMs: number;
}

export interface PlannedStep {
  /** Unique in the plan: `wipe[sdf]` for a foreach item, `disk.wipe` for a used runbook's step. */
  id: string;
  title: string;
  origin: StepOrigin;
  target?: string;
  action: PlannedAction;
  /** Planned ids of the steps that must finish first. */
  needs: string[];
  /** Set when the step is known not to run; the reason says why. */
  skip?: string;
  /** A `when` condition that can only be decided at run time. */
  when?: string;
  /** What `when` reads, resolved where the plan knows it. */
  whenKnown?: KnownValue[];
  guards: PlannedCheck[];
  skipIf?: PlannedCheck;
  verify?: PlannedVerify;
  retry?: { attempts: number; delayMs: number; backoff: number };
  timeoutMs?: number;
  destructive?: { confirm: string; impact?: string };
  undo?: { target?: string; action: PlannedAction; title?: string };
  always: boolean;
  capture?: { as: string; format: "text" | "json" };
  /** The runbook says the step only reads: --dry-run --probe runs it, and it never counts as a change. */
  readOnly?: boolean;
  /** The foreach variable, for expressions the engine resolves at run time. */
  vars?: Record<string, unknown>;
  /** A step of a runbook pulled in by `uses`: that runbook's params (secret ones left out), for its run-time expressions. */
  params?: Record<string, ParamValue>;
  /** Expressions left for run time (they read captures, results or secrets). */
  deferred: string[];
}

export interface PlannedStage {
  id: string;
  title: string;
  steps: PlannedStep[];
  checkpoint?: { message: string; files: string[]; push: boolean };
}

/** Everything a run will do, every argument resolved: pure data, printable and diffable. */
export interface Plan {
  apiVersion: "recover/v1";
  kind: "Plan";
  runbook: { name: string; file: string; summary: string };
  inventory?: string;
  /** Secret values are replaced by "<secret>". */
  params: Record<string, ParamValue>;
  targets: Record<string, PlannedTarget>;
  stages: PlannedStage[];
  /** The GitOps checkout the plan edits and applies from, and where its checkpoints go (from the inventory). */
  gitops?: { dir: string; remote?: string; branch?: string };
  /** A saved plan's inputs (`recover plan --out`): what `recover apply` checks are unchanged. */
  inputs?: PlanInputs;
}
