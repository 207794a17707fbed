// Data disks for a runbook test on this machine: loop devices the test creates over sparse files,
// each with a GPT label and an "old" ext4 partition holding a longhorn-disk.cfg and a replica
// directory, mounted below a test directory, named by stable links under /dev/recover-test-<pid>/
// (the by-id name and its -part1, as udev would make them), and an fstab of the test's own.
// cleanup() unmounts, detaches and removes everything it made, also after a failure.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface HostDisk {
  name: string;
  loop: string;
  /** The stable link the inventory names (like /dev/disk/by-id/…), and its partition's. */
  device: string;
  part: string;
  mount: string;
  size: number;
  /** The filesystem UUID of the partition before any runbook ran, and the Longhorn disk UUID in its cfg. */
  oldFsUuid: string;
  oldDiskUuid: string;
}

export interface HostDisks {
  base: string;
  /** Data disks mount strictly below this (the inventory's mountPrefixes). */
  mountPrefix: string;
  fstab: string;
  disks: HostDisk[];
  cleanup(): void;
}

const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

export function makeHostDisks(names: string[], sizeMiB = 300): HostDisks {
  const base = mkdtempSync(path.join(tmpdir(), "recover-rb-"));
  const devDir = `/dev/recover-test-${process.pid}-${path.basename(base).slice(-6)}`;
  const mountPrefix = path.join(base, "mnt");
  const loops: string[] = [];
  const disks: HostDisk[] = [];
  const cleanup = () => {
    for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n").reverse()) {
      const target = line.split(" ")[4];
      if (target?.startsWith(`${base}/`)) {
        try {
          sh("umount", [target]);
        } catch {
          // Reported by the test that left it mounted.
        }
      }
    }
    try {
      sh("chattr", ["-R", "-i", mountPrefix]);
    } catch {
      // Nothing was made immutable.
    }
    for (const loop of loops) {
      try {
        sh("losetup", ["-d", loop]);
      } catch {
        // Already detached.
      }
    }
    rmSync(devDir, { recursive: true, force: true });
    rmSync(base, { recursive: true, force: true });
  };
  try {
    mkdirSync(devDir);
    mkdirSync(mountPrefix);
    const fstab: string[] = ["# test fstab", "UUID=0000-ROOT / ext4 defaults 0 1"];
    for (const [i, name] of names.entries()) {
      const file = path.join(base, `${name}.img`);
      const size = (sizeMiB + 16 * i) * 1024 * 1024;
      sh("truncate", ["-s", String(size), file]);
      const loop = sh("losetup", ["--find", "--show", "--partscan", file]).trim();
      loops.push(loop);
      sh("parted", ["--script", "--align", "optimal", loop, "mklabel", "gpt", "mkpart", "primary", "ext4", "0%", "100%"]);
      try {
        sh("partprobe", [loop]);
      } catch {
        // The kernel has read the table already.
      }
      const loopPart = `${loop}p1`;
      sh("mkfs.ext4", ["-q", "-F", loopPart]);
      const device = path.join(devDir, `ata-RECOVER_TEST_${name}`);
      symlinkSync(loop, device);
      symlinkSync(loopPart, `${device}-part1`);
      const mount = path.join(mountPrefix, `${name}.d`);
      mkdirSync(mount);
      sh("mount", [loopPart, mount]);
      const oldDiskUuid = `old-${name}-0000`;
      writeFileSync(path.join(mount, "longhorn-disk.cfg"), JSON.stringify({ diskName: name, diskUUID: oldDiskUuid, diskDriver: "" }));
      mkdirSync(path.join(mount, "replicas", "pvc-old-r1"), { recursive: true });
      const oldFsUuid = sh("blkid", ["-p", "-s", "UUID", "-o", "value", loopPart]).trim();
      // The disk's line, a stale line for it under another path (the log's /mnt/longhorn/disk{f,g,h}),
      // and an unrelated look-alike that a pattern match (. as any character) would also delete.
      fstab.push(`UUID=${oldFsUuid} ${mount} ext4 defaults 0 2`);
      fstab.push(`UUID=${oldFsUuid} ${path.join(mountPrefix, `disk-${name}`)} ext4 defaults 0 2`);
      fstab.push(`UUID=1111-${i} ${mount.replace(/\.(?=[^.]*$)/, "x")} ext4 defaults 0 2`);
      disks.push({ name, loop, device, part: `${device}-part1`, mount, size, oldFsUuid, oldDiskUuid });
    }
    const fstabFile = path.join(base, "fstab");
    writeFileSync(fstabFile, `${fstab.join("\n")}\n`);
    return { base, mountPrefix, fstab: fstabFile, disks, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}
