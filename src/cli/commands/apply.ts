import { dirname, resolve } from "node:path";
import { newRunId } from "../../engine/run-id.js";
import { verifyPlanInputs } from "../../plan/inputs.js";
import { gitHead } from "../../preflight/local/git-checkout.js";
import { gitRunner } from "../../preflight/local/git-runner.js";
import { digestInputs } from "../../preflight/local/plan-inputs.js";
import { findRunbookFile, runbookDirs } from "../../runbook/registry.js";
import { openTransport } from "../../transports/open.js";
import { reportFindings, runLocalChecks } from "../local-checks.js";
import { recoverVersion } from "../version.js";
import { type ExecuteOptions, execute } from "./run.js";
import { PlanChangedError, readSavedPlan, type SavedPlan } from "./saved-plan.js";
import { savedRun } from "./saved-run.js";

export type ApplyOptions = Omit<ExecuteOptions, "param" | "inventory" | "gitops">;

/**
 * `recover apply FILE`: runs exactly the plan that was reviewed, through the engine. Refused
 * (exit 2, naming each change) when a runbook, the inventory, recover, the checkout's HEAD, a
 * file the plan edits or applies, or the plan file itself changed since the plan was saved, or
 * when a local check now finds an error.
 */
export async function applyCommand(file: string, opts: ApplyOptions): Promise<number> {
  const saved = readSavedPlan(file);
  const changes = verifyPlanInputs(saved.inputs, await currentInputs(saved));
  if (changes.length > 0) throw new PlanChangedError(file, saved, changes);
  const { prepared, invocation } = savedRun(saved);
  const code = reportFindings((await runLocalChecks(prepared.plan, prepared.inventory)).findings);
  if (code !== 0) return code;
  return execute(prepared, { ...opts, param: [] }, { runId: newRunId(), invocation });
}

/** The same inputs as the plan names them, read now; runbooks found by name are looked up by name again. */
async function currentInputs(plan: SavedPlan) {
  const gitops = plan.gitops?.dir;
  let head: string | null = null;
  if (gitops) {
    const local = openTransport({ kind: "local" });
    try {
      head = await gitHead(gitRunner(local, gitops)).catch(() => null);
    } finally {
      await local.close();
    }
  }
  const [top, ...used] = plan.inputs.runbooks;
  // The top runbook was found by name when it lies in a lookup folder: an override added since would win now.
  const byName = top !== undefined && runbookDirs(gitops).some(({ dir }) => resolve(dir) === dirname(top.file));
  return digestInputs(plan, {
    recover: recoverVersion(),
    runbooks: [
      ...(top ? [{ name: top.name, file: byName ? findRunbookFile(top.name, gitops) : top.file }] : []),
      ...used.map((r) => ({ name: r.name, file: findRunbookFile(r.name, gitops) })),
    ],
    ...(plan.inputs.inventory ? { inventory: plan.inputs.inventory.file } : {}),
    head,
  });
}
