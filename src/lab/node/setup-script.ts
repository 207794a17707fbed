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
 * The namespace began as a copy of the host's mounts, and the host's root is private: a copy of a
 * host (or test) filesystem would keep it busy after the host unmounts it, and its wipe would fail
 * with EBUSY. Detached here, in the node only: loop-device mounts and anything below /mnt or /media,
 * never / or a system directory (a live system's root may be a loop device)
 * (/proc/self/mounts writes a space as \040, which printf %b reads back as \0040).
 */
export const RELEASE_HOST_MOUNTS = String.raw`awk '($1 ~ /^\/dev\/loop/ || $2 ~ /^\/(mnt|media)\//) && $2 !~ /^\/(usr|etc|var|boot|opt|bin|sbin|lib|lib32|lib64|root|home|srv)?$/ { print $2 }' /proc/self/mounts | sort -r |
  while read -r m; do umount -l -- "$(printf '%b' "$(printf '%s' "$m" | sed 's/\\\([0-7]\)/\\0\1/g')")" 2>/dev/null || true; done`;

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
    RELEASE_HOST_MOUNTS,
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
