import { shellQuote as q } from "../../util/shell-quote.js";
import { NODE_OVERLAYS, type NodeLayout } from "./node-layout.js";

export interface SetupDisk {
  name: string;
  mount: string;
  /** longhorn-disk.cfg as Longhorn wrote it when it registered the disk. */
  diskConfig: string;
  /** Data folders of the replicas Longhorn keeps on this disk (replicas/<volume>-<8 hex>). */
  replicaDirs: string[];
}

/**
 * What a node's namespaces get before its sshd starts, as one script run there (nsenter): its
 * hostname, a private /dev/disk (tmpfs) with the by-id links, the overlays, and its disks
 * mounted from its own fstab, each holding the longhorn-disk.cfg Longhorn wrote for it.
 */
export function renderSetupScript(node: string, layout: NodeLayout, disks: readonly SetupDisk[]): string {
  const lines = [
    "#!/bin/sh",
    `# recover lab: set up node ${node} inside its namespaces (src/lab/node/setup-script.ts).`,
    "set -eu",
    `hostname ${q(node)}`,
    "mount -t tmpfs -o mode=0755,size=256k recover-lab-dev-disk /dev/disk",
    ...NODE_OVERLAYS.map(
      (dir) =>
        `mount -t overlay recover-lab-node -o ${q(`lowerdir=${dir},upperdir=${layout.upper(dir)},workdir=${layout.work(dir)}`)} ${dir}`,
    ),
    "/usr/local/sbin/udevadm trigger",
    ...disks.flatMap((d) => [
      `mount ${q(d.mount)}`,
      `[ -e ${q(`${d.mount}/longhorn-disk.cfg`)} ] || printf '%s' ${q(d.diskConfig)} > ${q(`${d.mount}/longhorn-disk.cfg`)}`,
      `mkdir -p ${q(`${d.mount}/replicas`)}${d.replicaDirs.map((r) => ` ${q(`${d.mount}/replicas/${r}`)}`).join("")}`,
    ]),
    "",
  ];
  return lines.join("\n");
}
