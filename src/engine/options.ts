import type { RunState } from "./run-state.js";

/** How one run behaves; the CLI fills it from flags. No dry-run flag: a dry-run never builds an engine. */
export interface EngineOptions {
  runId: string;
  planHash: string;
  /** Steps of a stage running at once (--parallel, default 8). */
  parallel: number;
  /** --yes: answer every confirmation (drills, CI). */
  yes: boolean;
  /** --yes-prompts: with --yes, `prompt` steps count as answered too. */
  yesPrompts: boolean;
  /** --step: ask before every step. */
  stepMode: boolean;
  /** Values run-time expressions read; params hold the real secret values (never emitted). */
  context: { params: Record<string, unknown>; inventory: unknown; repo: { dir: string } };
  /** Secret values, redacted from every event and journal line. */
  secrets: string[];
  /** First Ctrl-C: stop starting steps, abort those in flight, undo, then `always` steps. */
  interrupt?: AbortSignal;
  /** Second Ctrl-C: abandon the cleanup. */
  abandon?: AbortSignal;
  /** A resumed run: the journal replayed. */
  resume?: RunState;
  /** More fields for the journal's run record (what resume needs to plan again). */
  runRecord?: Record<string, unknown>;
  /** Timeout of guard, skipIf and verify probes without one of their own. */
  probeTimeoutMs?: number;
}

export const DEFAULT_PARALLEL = 8;
export const DEFAULT_PROBE_TIMEOUT_MS = 60_000;
