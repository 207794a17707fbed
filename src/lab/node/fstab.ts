/** One line of a node's fstab for a lab disk's filesystem. */
export interface FstabDisk {
  uuid: string;
  mount: string;
}

/** The node's own /etc/fstab, as the operator writes it: by UUID (device names shift), nofail for data disks. */
export function renderFstab(node: string, disks: readonly FstabDisk[]): string {
  return [
    `# /etc/fstab of lab node ${node} (recover lab): its Longhorn data disks.`,
    "# <file system> <mount point> <type> <options> <dump> <pass>",
    ...disks.map((d) => `UUID=${d.uuid} ${d.mount} ext4 defaults,nofail 0 2`),
    "",
  ].join("\n");
}
