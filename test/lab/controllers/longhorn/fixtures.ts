import type { DiskSpec, DiskStatus, LonghornNode, Replica } from "../../../../src/lab/controllers/longhorn/types.js";

export const NOW = "2026-01-01T00:00:00Z";
export const MIB = 1024 * 1024;

export function diskSpec(path: string, extra: Partial<DiskSpec> = {}): DiskSpec {
  return { path, diskType: "filesystem", allowScheduling: true, evictionRequested: false, storageReserved: 0, tags: [], ...extra };
}

export function readyDisk(uuid: string, path: string, extra: Partial<DiskStatus> = {}): DiskStatus {
  return {
    conditions: [
      { type: "Ready", status: "True", reason: "", message: "", lastProbeTime: "", lastTransitionTime: "2025-01-01T00:00:00Z" },
      { type: "Schedulable", status: "True", reason: "", message: "", lastProbeTime: "", lastTransitionTime: "2025-01-01T00:00:00Z" },
    ],
    diskUUID: uuid,
    diskName: "",
    diskPath: path,
    diskType: "filesystem",
    diskDriver: "",
    filesystemType: "ext2/ext3",
    storageMaximum: 250 * MIB,
    storageAvailable: 200 * MIB,
    storageScheduled: 0,
    scheduledReplica: {},
    scheduledBackingImage: {},
    instanceManagerName: "",
    ...extra,
  };
}

export function node(
  name: string,
  disks: Record<string, DiskSpec>,
  diskStatus: Record<string, DiskStatus> = {},
  ready = true,
): LonghornNode {
  const condition = (type: string, status: "True" | "False") => ({
    type,
    status,
    reason: "",
    message: "",
    lastProbeTime: "",
    lastTransitionTime: NOW,
  });
  return {
    apiVersion: "longhorn.io/v1beta2",
    kind: "Node",
    metadata: { name, namespace: "longhorn-system", finalizers: ["longhorn.io"] },
    spec: { name, disks, allowScheduling: true, evictionRequested: false, tags: [] },
    status: { conditions: [condition("Ready", ready ? "True" : "False"), condition("Schedulable", "True")], diskStatus },
  };
}

export function replica(name: string, nodeID: string, diskID: string, diskPath: string, volumeName = "pvc-1"): Replica {
  return {
    metadata: { name },
    spec: { nodeID, diskID, diskPath, dataDirectoryName: `${volumeName}-abcdef12`, volumeName, volumeSize: String(8 * MIB) },
  };
}
