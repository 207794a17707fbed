import path from "node:path";
import type { LabOptions } from "./lab-options.js";

const MIB = 1024 * 1024;

/** One lab disk: a sparse file behind a loop device, seen by its node as an ATA disk. */
export interface LabDisk {
  node: string;
  /** The Linux name the operator's node would give it (sdf), and its partition's (sdf1): the inventory and Longhorn disk key. */
  device: string;
  name: string;
  /** The node's stable name for it; loop devices have no serial, so the lab names them itself. */
  byId: string;
  sizeBytes: number;
  mount: string;
  /** The sparse file, inside the lab's directory. */
  image: string;
}

export interface LabNode {
  name: string;
  address: string;
  disks: LabDisk[];
}

/** Everything about a lab that follows from its options, directory and addresses: no I/O. */
export interface LabModel {
  dir: string;
  options: LabOptions;
  nodes: LabNode[];
}

/** k3s1's disks start at sdf as on the operator's node (sdf, sdg, sdh); other nodes' at sdb. */
function letters(nodeIndex: number, count: number): string[] {
  const first = nodeIndex === 0 ? "f" : "b";
  return Array.from({ length: count }, (_, i) => String.fromCharCode(first.charCodeAt(0) + i));
}

/**
 * Sizes differ for every disk of a lab (256, 272, 288… MiB, sparse: a few MiB are written): the
 * lab inventory tells disks apart by size and by-id name, as loop devices have no serial. Not
 * smaller, because Longhorn reports a filesystem disk's available space in whole 100 MiB and
 * wants 25 % of it free to schedule there (node_controller.go), and parted aligns `0%` at 1 MiB
 * only from about 100 MiB up, as on the operator's disks.
 */
export function diskSize(globalIndex: number): number {
  return (256 + 16 * globalIndex) * MIB;
}

export function labModel(dir: string, options: LabOptions, addresses: string[]): LabModel {
  if (addresses.length !== options.nodes) throw new Error(`need ${options.nodes} addresses, got ${addresses.length}`);
  const nodes = addresses.map((address, n): LabNode => {
    const name = `k3s${n + 1}`;
    const disks = letters(n, options.disks).map((letter, d): LabDisk => {
      const device = `sd${letter}`;
      return {
        node: name,
        device,
        name: `${device}1`,
        byId: `/dev/disk/by-id/ata-RECOVER_LAB_DISK_${name}-${device}`,
        sizeBytes: diskSize(n * options.disks + d),
        mount: `/mnt/longhorn/${device}1`,
        image: path.join(dir, "disks", `${name}-${device}.img`),
      };
    });
    return { name, address, disks };
  });
  return { dir, options, nodes };
}
