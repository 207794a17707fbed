/** What a drill reports: the JSON report is this, the JUnit XML is made from it. */
import type { ProbeObservation } from "./probe.js";
import type { InvocationExpect } from "./scenario.js";

/** A probe's verdict, as LitmusChaos gives it: Awaited when it could not be evaluated. */
export type Verdict = "Pass" | "Fail" | "Awaited";

export interface StepTiming {
  step: string;
  stage?: string;
  /** The last state the step reached. */
  state: string;
  /** ms since the drill started, when the step's checks began. */
  startedAt: number;
  durationMs?: number;
  attempts: number;
}

export interface StageTiming {
  stage: string;
  title?: string;
  state: string;
  startedAt: number;
  durationMs?: number;
}

export interface InvocationReport {
  /** run, resume, rerun */
  label: string;
  args: string[];
  expected: InvocationExpect;
  exitCode: number | null;
  outcome?: string;
  reason?: string;
  startedAt: number;
  durationMs: number;
  stages: StageTiming[];
  steps: StepTiming[];
  /** Expected texts the output did not contain. */
  missingOutput: string[];
  verdict: Verdict;
}

export interface FaultReport {
  fault: string;
  target?: string;
  when: string;
  /** ms since the drill started; absent when it never fired. */
  firedAt?: number;
  description?: string;
  error?: string;
}

export interface ProbeReport {
  name: string;
  mode: "start" | "end" | "continuous";
  verdict: Verdict;
  evaluations: number;
  /** The first observations that did not hold (a few), or the last one. */
  failures: ProbeObservation[];
  last?: ProbeObservation;
}

export interface DrillReport {
  drill: string;
  file: string;
  summary: string;
  runbook: string;
  args: string[];
  lab: { dir: string; built: boolean };
  startedAt: string;
  durationMs: number;
  faults: FaultReport[];
  invocations: InvocationReport[];
  probes: ProbeReport[];
  /** Where the lab's GitOps remote (every checkpoint commit) was copied before the lab went down. */
  gitops?: string;
  verdict: Verdict;
  /** Why the drill could not be run at all (the lab did not come up, …). */
  error?: string;
}

/** Pass when every invocation and probe passed; Fail when any failed; Awaited when nothing could be judged. */
export function overall(parts: { verdict: Verdict }[]): Verdict {
  if (parts.some((p) => p.verdict === "Fail")) return "Fail";
  if (parts.length === 0 || parts.every((p) => p.verdict === "Awaited")) return "Awaited";
  return parts.some((p) => p.verdict === "Awaited") ? "Fail" : "Pass";
}
