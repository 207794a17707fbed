import { dirname, resolve } from "node:path";
import { NotYetError } from "../../errors.js";
import { loadInventoryFile } from "../../inventory/load.js";
import { verifyPlanInputs } from "../../plan/inputs.js";
import { gitHead } from "../../preflight/local/git-checkout.js";
import { gitRunner } from "../../preflight/local/git-runner.js";
import { digestInputs } from "../../preflight/local/plan-inputs.js";
import { findRunbookFile, runbookDirs } from "../../runbook/registry.js";
import { openTransport } from "../../transports/open.js";
import { reportFindings, runLocalChecks } from "../local-checks.js";
import { recoverVersion } from "../version.js";
import { PlanChangedError, readSavedPlan, type SavedPlan } from "./saved-plan.js";

/**
 * `recover apply FILE`: runs exactly the plan that was reviewed. Refused (exit 2, naming each
 * change) when a runbook, the inventory, recover, the checkout's HEAD or a file the plan edits or
 * applies changed since the plan was saved, or when a local check now finds an error.
 */
export async function applyCommand(file: string): Promise<number> {
  const plan = readSavedPlan(file);
  const changes = verifyPlanInputs(plan.inputs, await currentInputs(plan));
  if (changes.length > 0) throw new PlanChangedError(file, plan, changes);
  const inventory = plan.inventory ? loadInventoryFile(plan.inventory) : undefined;
  const code = reportFindings((await runLocalChecks(plan, inventory)).findings);
  if (code !== 0) return code;
  throw new NotYetError(
    `${file} is verified: every input is as it was when the plan was made. Running it is not available yet in this version (the engine is not part of it); nothing was run.`,
  );
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
