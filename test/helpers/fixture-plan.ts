import { join } from "node:path";
import { type LoadedInventory, loadInventoryFile } from "../../src/inventory/load.js";
import { plan } from "../../src/plan/plan.js";
import type { Plan } from "../../src/plan/types.js";
import { bindParams } from "../../src/runbook/params.js";
import { loadRunbookSet } from "../../src/runbook/registry.js";
import { ROOT } from "./cli.js";

/**
 * A plan of a shipped runbook against a GitOps checkout (default: the fixture) as the CLI makes it.
 * `repoDir` is what the plan names as the checkout: a fixed path gives previews that are the same on every machine.
 */
export function fixturePlan(options: { runbook?: string; args?: string[]; gitops?: string; repoDir?: string } = {}): {
  plan: Plan;
  inventory: LoadedInventory;
} {
  const gitops = options.gitops ?? join(ROOT, "fixtures", "gitops");
  const { runbook, runbooks } = loadRunbookSet(options.runbook ?? "longhorn-node", gitops);
  const inventory = loadInventoryFile(join(gitops, "recover", "inventory.yaml"));
  const params = bindParams(runbook.spec, { positional: options.args ?? ["k3s1"], named: {} }, {});
  return { plan: plan({ runbook, params, runbooks, inventory, repoDir: options.repoDir ?? gitops }), inventory };
}
