/** Commands that write to block devices; on a lab node each goes through the guard first. */
export const GUARDED_COMMANDS = [
  "wipefs",
  "sgdisk",
  "sfdisk",
  "parted",
  "partprobe",
  "mkfs",
  "mkfs.ext2",
  "mkfs.ext3",
  "mkfs.ext4",
  "mkfs.xfs",
  "mke2fs",
  "blkdiscard",
  "dd",
] as const;

/** Where a node's guard writes what it allowed and refused (in the node's own /var/lib). */
export const GUARD_LOG = "/var/lib/recover-lab/guard.log";

/**
 * The guard every destructive disk command of a lab node runs through (it sits before the real
 * one in PATH and sudo's secure_path): any argument naming a device (/dev/…, or a block device
 * by another path), symlinks resolved, must be one of this node's lab loop devices or their
 * partitions (data sources like /dev/zero aside), and at least one must be given; else it refuses,
 * exit 1, and the real command never runs.
 */
export function renderGuardScript(node: string, loopDevices: readonly string[], logFile = GUARD_LOG): string {
  const allowed = loopDevices.join(" ");
  return `#!/bin/sh
# recover lab guard on node ${node} (src/lab/node/guard-script.ts): destructive disk commands
# reach only this node's lab loop devices (${allowed}); anything else is refused.
name=\${0##*/}
allowed=" ${allowed} "
log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >> ${logFile} 2>/dev/null || true; }
refuse() {
  log "refused $name $ARGS: $1"
  echo "recover lab: refusing $name on node ${node}: $1 (this node's lab disks: ${allowed})" >&2
  exit 1
}
ARGS="$*"
named=0
for arg in "$@"; do
  value=\${arg#*=}
  case "$value" in
    /dev/*) ;;
    *)
      # A block device by another path, or a link into /dev (even to a partition that is gone now).
      if [ -L "$value" ]; then
        case "$(readlink -f -- "$value")" in /dev/*) ;; *) continue ;; esac
      elif [ ! -b "$value" ]; then
        continue
      fi ;;
  esac
  case "$value" in /dev/zero|/dev/null|/dev/urandom|/dev/random|/dev/std*|/dev/fd/*) continue ;; esac
  real=$(readlink -f -- "$value" 2>/dev/null) || real=$value
  case "$real" in
    /dev/loop*p[0-9]*) disk=\${real%p*} ;;
    *) disk=$real ;;
  esac
  case "$allowed" in
    *" $disk "*) named=1 ;;
    *) refuse "$value ($real) is not one of this node's lab disks" ;;
  esac
done
if [ "$named" = 0 ]; then
  case " $ARGS " in
    *" -l "*|*" --list "*|*" -h "*|*" --help "*|*" -V "*|*" --version "*|*" -v "*) ;;
    *) [ "$name" = dd ] || refuse "it names no device of this node" ;;
  esac
fi
for dir in /usr/sbin /usr/bin /sbin /bin; do
  if [ -x "$dir/$name" ]; then
    log "allowed $name $ARGS"
    exec "$dir/$name" "$@"
  fi
done
echo "$name: command not found" >&2
exit 127
`;
}
