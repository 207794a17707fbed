import type { DiskSpec, LonghornNode } from "./types.js";

/** longhorn-disk.cfg's name (util.DiskConfigFile). */
export const DISK_CONFIG_FILE = "longhorn-disk.cfg";

/** What the lab reads of one disk path on its node, where longhorn-manager reads it (through the node's mount namespace). */
export interface DiskObservation {
  /** The path is a directory (mounted disk or not). */
  exists: boolean;
  /** longhorn-disk.cfg's content, undefined when there is none. */
  config?: string;
  /** statfs of the path: undefined when it cannot be read. */
  stat?: { fsid: string; storageMaximum: number; storageAvailable: number; type: string };
}

/** monitor.CollectedDiskInfo: the disk monitor's finding for one disk; `condition` only when it is not ready. */
export interface CollectedDiskInfo {
  diskName: string;
  diskUUID: string;
  path: string;
  stat?: DiskObservation["stat"];
  condition?: { status: "False"; reason: string; message: string };
}

/** A longhorn-disk.cfg the monitor writes (generateFilesystemTypeDiskConfig), with the replicas/ folder beside it. */
export interface DiskConfigWrite {
  path: string;
  content: string;
}

/** Go's encoding/json error for text that does not parse, as Longhorn's message carries it. */
export function goJsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    const first = text.trim()[0];
    return first === undefined ? "unexpected end of JSON input" : `invalid character '${first}' looking for beginning of value`;
  }
}

const notReady = (node: string, name: string, disk: DiskSpec, error: string): CollectedDiskInfo["condition"] => ({
  status: "False",
  reason: "NoDiskInfo",
  message: `Disk ${name}(${disk.path}) on node ${node} is not ready: errors: ${error}`,
});

/**
 * DiskMonitor.collectDiskData for filesystem disks, pure: a missing longhorn-disk.cfg is written
 * with a fresh UUID (and never overwrites one that exists); an empty or broken one is NoDiskInfo
 * with Longhorn's message; `{}` parses and yields an empty diskUUID (what the node controller
 * then judges). Longhorn's shared/domain facts: longhorn-node's no-disk-cfg and disk-cfg-valid steps.
 */
export function collectDiskData(
  node: LonghornNode,
  observe: (path: string) => DiskObservation,
  newDiskUUID: () => string,
): { collected: Record<string, CollectedDiskInfo>; writes: DiskConfigWrite[] } {
  const collected: Record<string, CollectedDiskInfo> = {};
  const writes: DiskConfigWrite[] = [];
  const nodeName = node.metadata.name;
  for (const [name, disk] of Object.entries(node.spec.disks ?? {})) {
    const seen = observe(disk.path);
    const cfgPath = `${disk.path}/${DISK_CONFIG_FILE}`;
    let diskName = name;
    let diskUUID: string;
    const failed = (error: string): CollectedDiskInfo => ({
      diskName: name,
      diskUUID: "",
      path: disk.path,
      condition: notReady(nodeName, name, disk, error),
    });
    if (seen.config === undefined) {
      if (!seen.exists) {
        collected[name] = failed(
          `failed to generate disk config: failed to generate disk config for ${disk.path}: open ${cfgPath}: no such file or directory`,
        );
        continue;
      }
      diskUUID = newDiskUUID();
      writes.push({ path: cfgPath, content: JSON.stringify({ diskName: name, diskUUID, diskDriver: "", state: "ready" }) });
    } else {
      const error = goJsonError(seen.config);
      if (error !== undefined) {
        collected[name] = failed(
          `failed to get disk config: failed to get disk config for ${disk.path}: failed to unmarshal host ${cfgPath} content: ${seen.config}: ${error}`,
        );
        continue;
      }
      const parsed = JSON.parse(seen.config) as { diskName?: unknown; diskUUID?: unknown };
      diskName = typeof parsed.diskName === "string" ? parsed.diskName : "";
      diskUUID = typeof parsed.diskUUID === "string" ? parsed.diskUUID : "";
    }
    if (!seen.stat) {
      collected[name] = failed(`failed to get disk stat: cannot get disk stat of ${disk.path}`);
      continue;
    }
    collected[name] = { diskName, diskUUID, path: disk.path, stat: seen.stat };
  }
  return { collected, writes };
}
