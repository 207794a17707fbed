import { conditionStatus } from "./conditions.js";
import type { LonghornNode, Replica } from "./types.js";

/** A replica marked failed (spec.failedAt) or in error: it serves no data. */
export const replicaFailed = (r: Replica): boolean => Boolean(r.spec.failedAt) || r.status?.currentState === "error";

/**
 * Replicas whose disk failed under them, pure: the disk with the replica's diskID is no longer
 * Ready on its node, or no longer there (the engine loses the replica, the volume controller sets
 * failedAt). A replica with an empty diskID (#6790) is replicaStartError's; a node without a CR is
 * left alone. Drill: a disk failing under a volume (disk-cfg-empty), longhorn-node's evict stage.
 */
export function replicasOnFailedDisks(replicas: readonly Replica[], nodes: readonly LonghornNode[]): Replica[] {
  return replicas.filter((r) => {
    if (replicaFailed(r) || r.metadata.deletionTimestamp || !r.spec.diskID) return false;
    const node = nodes.find((n) => n.metadata.name === r.spec.nodeID);
    if (!node) return false;
    const disk = Object.values(node.status?.diskStatus ?? {}).find((d) => d.diskUUID === r.spec.diskID);
    return !disk || conditionStatus(disk.conditions, "Ready") !== "True";
  });
}

export type Robustness = "healthy" | "degraded" | "faulted";

/**
 * VolumeController's robustness of an attached volume, pure: healthy with numberOfReplicas
 * running replicas, degraded with fewer but some, faulted with none (a rebuilding replica does
 * not count until it runs).
 */
export function robustnessOf(numberOfReplicas: number, replicas: readonly Replica[]): Robustness {
  const running = replicas.filter((r) => !replicaFailed(r) && !r.metadata.deletionTimestamp && r.status?.currentState === "running").length;
  if (running === 0) return "faulted";
  return running >= numberOfReplicas ? "healthy" : "degraded";
}

/**
 * How many replacement replicas an attached volume needs (replenishReplicas): wanted minus the
 * ones not marked failed, running or rebuilding. A replica in error on a Ready disk (#6790's empty
 * diskID) is potentially reusable: Longhorn waits for it rather than replace it.
 */
export function replicasToAdd(numberOfReplicas: number, replicas: readonly Replica[]): number {
  const usable = replicas.filter((r) => !r.spec.failedAt && !r.metadata.deletionTimestamp && r.spec.evictionRequested !== true).length;
  return Math.max(0, numberOfReplicas - usable);
}
