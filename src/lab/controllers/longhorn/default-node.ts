import type { DiskSpec, LonghornNode } from "./types.js";

/** The Kubernetes Node's label and annotation that choose default disks (types.go). */
export const CREATE_DEFAULT_DISK_LABEL = "node.longhorn.io/create-default-disk";
export const DEFAULT_DISKS_CONFIG_ANNOTATION = "node.longhorn.io/default-disks-config";

export interface DefaultDiskSettings {
  createDefaultDiskLabeledNodes: boolean;
  defaultDataPath: string;
  /** storage-reserved-percentage-for-default-disk (30). */
  reservedPercentage: number;
}

/** A disk's filesystem size, to reserve a share of it (lhns.GetDiskStat); undefined when the path cannot be read. */
export type DiskSize = (path: string) => { storageMaximum: number; fsid: string } | undefined;

function defaultDisk(path: string, size: DiskSize, reservedPercentage: number): Record<string, DiskSpec> | undefined {
  const stat = size(path);
  if (!stat) return undefined;
  const spec: DiskSpec = {
    path,
    diskType: "filesystem",
    allowScheduling: true,
    evictionRequested: false,
    storageReserved: Math.trunc((stat.storageMaximum * reservedPercentage) / 100),
    tags: [],
  };
  return { [`default-disk-${stat.fsid}`]: spec };
}

/**
 * types.CreateDisksFromAnnotation, pure: the annotation's disks, or undefined when it is invalid as
 * a whole (duplicate path or name, or two disks on one filesystem: Longhorn then creates none).
 */
export function disksFromAnnotation(annotation: string, size: DiskSize, reservedPercentage: number): Record<string, DiskSpec> | undefined {
  let list: { path?: string; name?: string; allowScheduling?: boolean; storageReserved?: number; tags?: string[] }[];
  try {
    list = JSON.parse(annotation);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  const disks: Record<string, DiskSpec> = {};
  const paths = new Set<string>();
  const fsids = new Set<string>();
  for (const d of list) {
    if (!d.path) return undefined;
    const stat = size(d.path);
    if (!stat || paths.has(d.path) || fsids.has(stat.fsid)) return undefined;
    paths.add(d.path);
    fsids.add(stat.fsid);
    const name = d.name || `default-disk-${stat.fsid}`;
    if (name in disks) return undefined;
    disks[name] = {
      path: d.path,
      diskType: "filesystem",
      allowScheduling: d.allowScheduling ?? false,
      evictionRequested: false,
      storageReserved: d.storageReserved ? d.storageReserved : Math.trunc((stat.storageMaximum * reservedPercentage) / 100),
      tags: d.tags ?? [],
    };
  }
  return disks;
}

/**
 * The Node CR a starting longhorn-manager pod creates for its node when there is none
 * (DataStore.CreateDefaultNode, then KubernetesNodeController.syncDefaultDisks): without
 * create-default-disk-labeled-nodes a disk at default-data-path; with it, disks only when the
 * node's label says `true` (default-data-path) or `config` (the annotation). Longhorn never
 * syncs them again. The lab's manager-restart fault and longhorn-node's re-register stage meet this.
 */
export function defaultNode(
  name: string,
  kubeNode: { labels: Record<string, string>; annotations: Record<string, string> },
  settings: DefaultDiskSettings,
  size: DiskSize,
): LonghornNode {
  let disks: Record<string, DiskSpec> = {};
  if (!settings.createDefaultDiskLabeledNodes) disks = defaultDisk(settings.defaultDataPath, size, settings.reservedPercentage) ?? {};
  else {
    const label = kubeNode.labels[CREATE_DEFAULT_DISK_LABEL]?.toLowerCase();
    if (label === "true") disks = defaultDisk(settings.defaultDataPath, size, settings.reservedPercentage) ?? {};
    if (label === "config") {
      const annotation = kubeNode.annotations[DEFAULT_DISKS_CONFIG_ANNOTATION];
      disks = (annotation && disksFromAnnotation(annotation, size, settings.reservedPercentage)) || {};
    }
  }
  return {
    apiVersion: "longhorn.io/v1beta2",
    kind: "Node",
    metadata: { name, namespace: "longhorn-system", finalizers: ["longhorn.io"] },
    spec: { name, allowScheduling: true, evictionRequested: false, tags: [], instanceManagerCPURequest: 0, disks },
  };
}
