import { hostname } from "node:os";
import { holderIdentity, takeLeases } from "../engine/lease.js";
import { lockKeys, takeLockFiles } from "../engine/lock-file.js";
import type { Plan, PlannedTarget } from "../plan/types.js";
import type { Transport } from "../transports/types.js";

/**
 * One run per node: a lock file per ssh host and kube context in the state directory, and, when
 * the plan has kubectl targets, a Lease per lock in each of their clusters. Resolves with the release.
 */
export async function takeLocks(
  plan: Plan,
  dir: string,
  runId: string,
  notice: (message: string) => void,
  open: (target: PlannedTarget) => Transport,
): Promise<() => Promise<void>> {
  const keys = lockKeys(plan);
  const releases = [takeLockFiles(dir, keys, runId, notice)];
  const clusters = new Map<string, PlannedTarget>();
  for (const target of Object.values(plan.targets)) if (target.kind === "kubectl") clusters.set(JSON.stringify(target), target);
  const release = async () => {
    for (const r of releases.splice(0).reverse()) await r();
  };
  try {
    for (const target of clusters.values()) {
      const kubectl = open(target);
      releases.push(await takeLeases(kubectl, keys, holderIdentity(hostname(), process.pid, runId), runId, notice));
    }
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}
