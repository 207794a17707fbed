/** Longhorn's objects as the simulated controllers read and write them (k8s/pkg/apis/longhorn/v1beta2). */

export type ConditionStatus = "True" | "False" | "Unknown";

export interface Condition {
  type: string;
  status: ConditionStatus;
  lastProbeTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface DiskSpec {
  path: string;
  diskType: "filesystem" | "block";
  diskDriver?: string;
  allowScheduling: boolean;
  evictionRequested: boolean;
  storageReserved: number;
  tags: string[];
}

export interface DiskStatus {
  conditions: Condition[];
  diskUUID: string;
  diskName: string;
  diskPath: string;
  diskType: string;
  diskDriver: string;
  filesystemType: string;
  storageMaximum: number;
  storageAvailable: number;
  storageScheduled: number;
  scheduledReplica: Record<string, number>;
  scheduledBackingImage: Record<string, number>;
  instanceManagerName: string;
}

export interface LonghornNode {
  apiVersion: string;
  kind: "Node";
  metadata: { name: string; namespace?: string; deletionTimestamp?: string; finalizers?: string[]; [k: string]: unknown };
  spec: {
    name: string;
    disks: Record<string, DiskSpec>;
    allowScheduling: boolean;
    evictionRequested: boolean;
    tags: string[];
    [k: string]: unknown;
  };
  status?: { conditions?: Condition[]; diskStatus?: Record<string, DiskStatus>; [k: string]: unknown };
}

export interface Replica {
  metadata: { name: string; labels?: Record<string, string>; [k: string]: unknown };
  spec: {
    nodeID: string;
    diskID: string;
    diskPath: string;
    dataDirectoryName: string;
    volumeName: string;
    volumeSize: string | number;
    [k: string]: unknown;
  };
  status?: { currentState?: string; [k: string]: unknown };
}
