import { systemClock } from "../../engine/clock.js";
import type { EngineEvent } from "../../engine/events.js";
import { FileJournal } from "../../engine/journal-file.js";
import type { EngineOptions } from "../../engine/options.js";
import { planHash } from "../../engine/plan-hash.js";
import { redactor } from "../../engine/redact.js";
import { newRunId } from "../../engine/run-id.js";
import { runPlan } from "../../engine/run-plan.js";
import type { RunState } from "../../engine/run-state.js";
import { journalPath, locksDir, stateDir } from "../../engine/state-dir.js";
import { InputError } from "../../errors.js";
import type { PlannedTarget } from "../../plan/types.js";
import { batchedWriter } from "../../report/batched-writer.js";
import { jsonRenderer } from "../../report/json-lines.js";
import { plainRenderer } from "../../report/plain.js";
import { openTransport } from "../../transports/open.js";
import { checkpointAdapter } from "../checkpoint-adapter.js";
import { takeLocks } from "../locks.js";
import { reachTarget } from "../reach.js";
import { interruptSignals } from "../signals.js";
import { type PlanOptions, type PreparedRun, prepareRun } from "./prepare.js";

export interface ExecuteOptions extends PlanOptions {
  output: "text" | "plain" | "json";
  yes?: boolean;
  yesPrompts?: boolean;
  step?: boolean;
  parallel: string;
  stateDir?: string;
  sshConfig?: string;
  acceptNewHostKey?: boolean;
  gitAuthor?: string;
}

/** `recover RUNBOOK ARGS`: plan, then run it through the engine; resolves to the exit code. */
export async function executeCommand(runbook: string, args: string[], opts: ExecuteOptions): Promise<number> {
  const prepared = prepareRun(runbook, args, opts);
  const redact = redactor(prepared.secrets);
  const invocation = redact({
    runbook: prepared.plan.runbook.file,
    args,
    param: opts.param ?? [],
    ...(prepared.plan.inventory ? { inventory: prepared.plan.inventory } : {}),
    ...(prepared.repoDir ? { gitops: prepared.repoDir } : {}),
  });
  return execute(prepared, opts, { runId: newRunId(), invocation });
}

/** Runs a prepared plan (a new run, or a resumed one with its journal replayed). */
export async function execute(
  prepared: PreparedRun,
  opts: ExecuteOptions,
  run: { runId: string; invocation: Record<string, unknown>; resume?: RunState },
): Promise<number> {
  const parallel = Number(opts.parallel);
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new InputError(`--parallel ${opts.parallel} is not a positive whole number`, "write --parallel 8");
  const { plan } = prepared;
  const state = stateDir(opts.stateDir, process.env);
  const journal = new FileJournal(journalPath(state, run.runId));
  const out = process.stdout.isTTY ? undefined : batchedWriter((text) => process.stdout.write(text));
  const write = out ? out.write : (text: string) => process.stdout.write(text);
  // The live view and the prompts (listr2, inquirer) load only on a terminal: plain runs start faster.
  const live =
    opts.output === "text" && process.stdout.isTTY ? new (await import("../../report/live.js")).LiveView(plan, write) : undefined;
  const render = live
    ? (e: EngineEvent) => live.handle(e)
    : opts.output === "json"
      ? jsonRenderer(plan, write)
      : plainRenderer(plan, write);
  const notice = (message: string) => process.stderr.write(`recover: ${message}\n`);
  const terminal = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const prompter = terminal ? (await import("../engine-prompter.js")).terminalEnginePrompter(plan, live) : undefined;
  const secretPrompter = terminal ? (await import("../prompter.js")).terminalPrompter() : undefined;
  const signals = interruptSignals(notice);
  const options: EngineOptions = {
    runId: run.runId,
    planHash: planHash(plan),
    parallel,
    yes: opts.yes === true,
    yesPrompts: opts.yesPrompts === true,
    stepMode: opts.step === true,
    context: { params: prepared.params, inventory: prepared.inventory?.inventory ?? {}, repo: { dir: prepared.repoDir ?? "." } },
    secrets: prepared.secrets,
    interrupt: signals.interrupt,
    abandon: signals.abandon,
    runRecord: { invocation: run.invocation, plan },
    ...(run.resume ? { resume: run.resume } : {}),
  };
  const checkpoints = await checkpointAdapter(plan, prepared.repoDir, {
    resumed: run.resume !== undefined,
    ...(opts.gitAuthor ? { gitAuthor: opts.gitAuthor } : {}),
  });
  const open = (target: PlannedTarget) =>
    openTransport(target, {
      ...(opts.sshConfig ? { sshConfig: opts.sshConfig } : {}),
      acceptNewHostKey: opts.acceptNewHostKey === true,
      ...(secretPrompter ? { prompter: secretPrompter } : {}),
      ...(prepared.repoDir ? { cwd: prepared.repoDir } : {}),
      onNotice: notice,
    });
  try {
    const result = await runPlan(
      plan,
      {
        openTransport: (_name, target) => open(target),
        ...(prompter ? { prompter } : {}),
        clock: systemClock,
        journal,
        ...(checkpoints ? { checkpoints } : {}),
        emit: (event: EngineEvent) => render(event),
        reach: reachTarget,
        lock: (p) => takeLocks(p, locksDir(state), run.runId, notice, open),
      },
      options,
    );
    await live?.close();
    if ((result.outcome === "refused" || result.outcome === "locked") && result.reason) notice(result.reason);
    return result.exitCode;
  } finally {
    out?.flush();
    signals.dispose();
    journal.close();
  }
}
