// Engine unit tests script the transport at its port boundary: a command's outcome comes from a
// function of its text. End-to-end tests (test/cli/run*.test.ts) use real sshd hosts instead.
import type { EngineEvent } from "../../src/engine/events.js";
import type { EngineOptions } from "../../src/engine/options.js";
import type { CheckpointPort, Clock, EngineDeps, JournalPort, JournalRecord } from "../../src/engine/ports.js";
import { AbortedError } from "../../src/transports/errors.js";
import type { ExecRequest, ExecResult, Transport } from "../../src/transports/types.js";

export type Script = (command: string, request: ExecRequest) => Partial<ExecResult> | Promise<Partial<ExecResult>>;

export function scriptedTransport(name: string, script: Script, log: string[]): Transport {
  return {
    kind: "ssh",
    name,
    async exec(request) {
      const text = "script" in request.command ? request.command.script : request.command.argv.join(" ");
      log.push(`${name}: ${text}`);
      if (request.signal?.aborted) throw new AbortedError("aborted", { target: name });
      const out = await script(text, request);
      return { exitCode: 0, signal: null, stdout: "", stderr: "", truncated: false, durationMs: 1, ...out };
    },
    close: async () => {},
  };
}

/** A clock whose sleeps return at once and move time forward. */
export function fakeClock(): Clock {
  let now = 1_000_000;
  return {
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new Error("aborted");
      now += ms;
    },
  };
}

export function memoryJournal(): JournalPort & { records: JournalRecord[]; syncs: number } {
  const records: JournalRecord[] = [];
  const journal = {
    records,
    syncs: 0,
    append: (r: JournalRecord) => void records.push(r),
    sync: async () => {
      journal.syncs++;
    },
    text: () => records.map((r) => `${JSON.stringify(r)}\n`).join(""),
  };
  return journal;
}

export function harness(script: Script, overrides: Partial<EngineDeps> = {}) {
  const log: string[] = [];
  const events: EngineEvent[] = [];
  const journal = memoryJournal();
  const deps: EngineDeps = {
    openTransport: (name) => scriptedTransport(name, script, log),
    clock: fakeClock(),
    journal,
    emit: (e) => events.push(e),
    ...overrides,
  };
  return { deps, log, events, journal };
}

export const options = (extra: Partial<EngineOptions> = {}): EngineOptions => ({
  runId: "r1",
  planHash: "h",
  parallel: 8,
  yes: true,
  yesPrompts: false,
  stepMode: false,
  context: { params: { node: "k3s1" }, inventory: {}, repo: { dir: "." } },
  secrets: [],
  ...extra,
});

/** The states a step went through, in order. */
export const statesOf = (events: EngineEvent[], step: string): string[] =>
  events.flatMap((e) => (e.type === "step" && e.step === step ? [e.state] : []));

/**
 * A checkpoint port that records each commit as `stage:status`; a commit of `failOn` fails.
 * `committed`: the stages whose done commit of the run is already on the branch (resume).
 */
export function recordingCheckpoints(failOn?: string, committed: string[] = []): { commits: string[]; checkpoints: CheckpointPort } {
  const commits: string[] = [];
  const checkpoints: CheckpointPort = {
    preflight: async () => ({ branch: "main", head: "abc" }),
    applyEdit: async () => ({ file: "f", changed: true }),
    commitStage: async (input) => {
      commits.push(`${input.stage.id}:${input.status}`);
      if (input.stage.id === failOn) throw new Error("push rejected");
      return { commit: "c1", pushed: false };
    },
    committedStage: async (input) => (committed.includes(input.stage.id) ? { commit: `c0ffee0${input.stage.id}`, pushed: true } : null),
  };
  return { commits, checkpoints };
}
