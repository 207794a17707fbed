import type { LabModel } from "../model/lab-model.js";
import type { NameSource } from "./names.js";

/** A replica's place: a disk of a node, and the folder Longhorn keeps its data in there. */
export interface PlannedReplica {
  name: string;
  node: string;
  disk: string;
  dataDirectoryName: string;
}

export interface PlannedVolume {
  name: string;
  sizeBytes: number;
  /** The node whose workload has it attached (its engine runs there), or undefined when detached. */
  attachedTo?: string;
  engineName: string;
  replicas: PlannedReplica[];
  /** The PersistentVolumeClaim behind it (namespace/name). */
  claim: { namespace: string; name: string };
}

/** Small, so another node's disks always have room for an evicted replica. */
export const VOLUME_SIZE = 8 * 1024 * 1024;

/**
 * Two volumes whose replicas are spread over the nodes (replica i of volume v on node v+i), the
 * first attached on the last node (a workload runs there, away from k3s1, so k3s1 can be
 * recovered), the second detached. Each runbook step that evicts, guards on replicas or engines
 * meets them (longhorn-node: evict, remove-node).
 */
export function planVolumes(model: LabModel, names: NameSource): PlannedVolume[] {
  const nodes = model.nodes;
  const replicaCount = Math.min(2, nodes.length);
  const claims = [
    { namespace: "monitoring", name: "prometheus-data" },
    { namespace: "default", name: "backup-data" },
  ];
  return claims.map((claim, v) => {
    const name = `pvc-${names.uuid()}`;
    const replicas = Array.from({ length: replicaCount }, (_, i): PlannedReplica => {
      const node = nodes[(v + i) % nodes.length] as (typeof nodes)[number];
      const disk = node.disks[v % node.disks.length] as (typeof node.disks)[number];
      return { name: `${name}-r-${names.hex(8)}`, node: node.name, disk: disk.name, dataDirectoryName: `${name}-${names.hex(8)}` };
    });
    return {
      name,
      sizeBytes: VOLUME_SIZE,
      ...(v === 0 ? { attachedTo: nodes[nodes.length - 1]?.name as string } : {}),
      engineName: `${name}-e-${names.hex(8)}`,
      replicas,
      claim,
    };
  });
}
