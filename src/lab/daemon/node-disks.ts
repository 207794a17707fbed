import { existsSync, mkdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { DiskObservation } from "../controllers/longhorn/disk-monitor.js";
import type { NodeDisks } from "../controllers/longhorn/node-controller.js";
import type { RunningNode } from "../node/start-node.js";

/** `stat -f -c %T` names, as Longhorn records filesystemType (ext4 reads "ext2/ext3"). */
const FS_TYPES: Record<number, string> = { 61267: "ext2/ext3", 1481003842: "xfs", 16914836: "tmpfs", 2035054128: "overlayfs" };

/**
 * How the lab's longhorn-manager sees a node's disks: through the node's mount namespace
 * (/proc/<holder>/root), so it reads what a session on the node reads — a mounted disk, or the
 * empty directory on the node's own root filesystem when the disk is not mounted. Synchronous:
 * reconciles are.
 */
export function nodeDisks(
  nodes: readonly RunningNode[],
): NodeDisks & { size(node: string, diskPath: string): { storageMaximum: number; fsid: string } | undefined } {
  const root = (node: string): string => {
    const found = nodes.find((n) => n.name === node);
    if (!found) throw new Error(`no lab node ${node}`);
    return `/proc/${found.namespaces.holder.pid}/root`;
  };
  const statOf = (full: string): DiskObservation["stat"] => {
    try {
      const fs = statfsSync(full);
      return {
        fsid: String(statSync(full).dev),
        storageMaximum: fs.blocks * fs.bsize,
        storageAvailable: fs.bavail * fs.bsize,
        type: FS_TYPES[fs.type] ?? `0x${fs.type.toString(16)}`,
      };
    } catch {
      return undefined;
    }
  };
  return {
    observe(node, diskPath) {
      const full = root(node) + diskPath;
      const exists = (() => {
        try {
          return statSync(full).isDirectory();
        } catch {
          return false;
        }
      })();
      if (!exists) return { exists };
      let config: string | undefined;
      try {
        config = readFileSync(path.join(full, "longhorn-disk.cfg"), "utf8");
      } catch {
        config = undefined;
      }
      const stat = statOf(full);
      return { exists, ...(config !== undefined ? { config } : {}), ...(stat ? { stat } : {}) };
    },
    writeConfig(node, cfgPath, content) {
      const full = root(node) + cfgPath;
      if (existsSync(full)) return;
      writeFileSync(full, content);
      mkdirSync(path.join(path.dirname(full), "replicas"), { recursive: true });
    },
    replicaData(node, diskPath, dataDirectoryName, present) {
      const full = path.join(root(node) + diskPath, "replicas", dataDirectoryName);
      if (present) mkdirSync(full, { recursive: true });
      else rmSync(full, { recursive: true, force: true });
    },
    size(node, diskPath) {
      const stat = statOf(root(node) + diskPath);
      return stat ? { storageMaximum: stat.storageMaximum, fsid: stat.fsid } : undefined;
    },
  };
}
