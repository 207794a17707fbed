import { conditionStatus } from "./conditions.js";
import { isSchedulableToDisk, type SchedulingSettings } from "./scheduling.js";
import type { LonghornNode, Replica } from "./types.js";

/** Whether a replica should be evicted, and why (NodeController.shouldEvictReplica, user request and cordon cases). */
export function shouldEvictReplica(
  node: LonghornNode,
  diskName: string,
  kubeNode: { unschedulable?: boolean; ready: boolean } | undefined,
  drainPolicy: string,
): boolean {
  if (!kubeNode?.ready) return false;
  if (node.spec.evictionRequested || node.spec.disks[diskName]?.evictionRequested) return true;
  if (!kubeNode.unschedulable) return false;
  return drainPolicy === "block-for-eviction";
}

/** Where an evicted replica goes: a disk of a node, with the UUID the new replica will name. */
export interface ReplicaTarget {
  node: string;
  disk: string;
  diskUUID: string;
  diskPath: string;
}

/** scheduler's ErrorReplicaSchedule* reasons, as the volume's Scheduled condition carries them. */
export type SchedulingFailure =
  | "nodes are unavailable"
  | "disks are unavailable"
  | "insufficient storage"
  | "hard affinity cannot be satisfied";

/**
 * ReplicaScheduler.ScheduleReplica for an evicted or replacement replica, pure: the candidate
 * nodes are Ready, Schedulable, allow scheduling and are not being evicted; disks on nodes that
 * hold no usable replica of the volume come first (getDiskCandidates' unusedNodes; a failed
 * replica does not count, IsPotentiallyReusableReplica), and only with replica-soft-anti-affinity
 * the nodes that do; the candidate disks are Ready, Schedulable, allow scheduling, are not being
 * evicted and have room (isSchedulableToDisk); the one with the most available space wins. Else
 * the reason it fails (longhorn-node's evict step and the disk-failure rebuild wait on this).
 */
export function scheduleReplica(
  replica: Replica,
  volumeReplicas: readonly Replica[],
  nodes: readonly LonghornNode[],
  settings: SchedulingSettings & { softAntiAffinity: boolean },
): ReplicaTarget | SchedulingFailure {
  const size = Number(replica.spec.volumeSize);
  const holding = new Set(
    volumeReplicas
      .filter((r) => r.metadata.name !== replica.metadata.name && !r.spec.failedAt && !r.metadata.deletionTimestamp)
      .map((r) => r.spec.nodeID),
  );
  const usableNodes = nodes.filter(
    (n) =>
      !n.metadata.deletionTimestamp &&
      n.spec.allowScheduling &&
      !n.spec.evictionRequested &&
      conditionStatus(n.status?.conditions, "Ready") === "True" &&
      conditionStatus(n.status?.conditions, "Schedulable") === "True",
  );
  if (usableNodes.length === 0) return "nodes are unavailable";
  const unused = usableNodes.filter((n) => !holding.has(n.metadata.name));
  const tiers = settings.softAntiAffinity ? [unused, usableNodes.filter((n) => holding.has(n.metadata.name))] : [unused];
  if (tiers.every((t) => t.length === 0)) return "hard affinity cannot be satisfied";
  let anyDisk = false;
  for (const tier of tiers) {
    let best: (ReplicaTarget & { available: number }) | undefined;
    for (const n of tier) {
      for (const [disk, spec] of Object.entries(n.spec.disks ?? {})) {
        const status = n.status?.diskStatus?.[disk];
        if (!status || !spec.allowScheduling || spec.evictionRequested) continue;
        if (conditionStatus(status.conditions, "Ready") !== "True" || conditionStatus(status.conditions, "Schedulable") !== "True")
          continue;
        anyDisk = true;
        const fits = isSchedulableToDisk(size, size, { ...status, storageReserved: spec.storageReserved }, settings).ok;
        if (fits && (!best || status.storageAvailable > best.available))
          best = { node: n.metadata.name, disk, diskUUID: status.diskUUID, diskPath: spec.path, available: status.storageAvailable };
      }
    }
    if (best) {
      const { available: _, ...target } = best;
      return target;
    }
  }
  return anyDisk ? "insufficient storage" : "disks are unavailable";
}

/**
 * ReplicaController.CreateInstance's check, pure: a replica Longhorn cannot start. An empty
 * diskID is what a `{}` longhorn-disk.cfg leads to (#6790, shared/domain), with this message.
 */
export function replicaStartError(replica: Replica): string | undefined {
  const { nodeID, diskID, diskPath, dataDirectoryName, volumeSize } = replica.spec;
  if (nodeID === "" || !diskPath || !dataDirectoryName || diskID === "" || Number(volumeSize) === 0)
    return `missing parameters for replica instance creation: ${replica.metadata.name}`;
  return undefined;
}
