/** A lab disk as its node names it: the by-id link and the loop device behind it. */
export interface NodeDiskLink {
  byId: string;
  loop: string;
}

/**
 * The node's `udevadm`: there is no udev in the lab, so `settle` and `trigger` do its one job the
 * runbooks rely on, now: by-id links for the lab's disks and their partitions (`…-part1`, made
 * and removed as the kernel's partitions come and go after parted/partprobe). The lab daemon
 * runs `trigger` too when it sees partitions change, as udev would without being asked.
 */
export function renderUdevadmScript(node: string, disks: readonly NodeDiskLink[]): string {
  const pairs = disks.map((d) => `${d.byId.replace(/^\/dev\/disk\/by-id\//, "")}:${d.loop.replace(/^\/dev\//, "")}`).join(" ");
  return `#!/bin/sh
# recover lab: simulated udevadm on node ${node} (src/lab/node/udevadm-script.ts).
sync_links() {
  mkdir -p /dev/disk/by-id
  for pair in ${pairs}; do
    id=\${pair%%:*}; dev=\${pair#*:}
    ln -sfn "../../$dev" "/dev/disk/by-id/$id"
    for link in "/dev/disk/by-id/$id-part"*; do
      [ -L "$link" ] || continue
      n=\${link##*-part}
      [ -e "/sys/class/block/$dev/\${dev}p$n" ] || rm -f "$link"
    done
    for part in "/sys/class/block/$dev/\${dev}p"*; do
      [ -e "$part" ] || continue
      n=\${part##*p}
      ln -sfn "../../\${dev}p$n" "/dev/disk/by-id/$id-part$n"
    done
  done
}
case "$1" in
  settle|trigger) sync_links ;;
  control|monitor|info|test) ;;
  *) echo "udevadm $1: not simulated by recover lab" >&2; exit 1 ;;
esac
exit 0
`;
}
