import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { LabResource } from "../state/state-file.js";
import { assertLabDevice } from "./device-guard.js";
import { run } from "./run.js";

/** The partition device the kernel makes for partition `n` of a loop device (--partscan). */
export const partitionOf = (device: string, n = 1): string => `${device}p${n}`;

async function waitForDevice(device: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(device)) {
    if (Date.now() > deadline) throw new Error(`${device} did not appear within ${timeoutMs / 1000} s after partitioning`);
    await sleep(20);
  }
}

/**
 * Gives a fresh lab disk what the operator's disks have: a GPT label, one partition over the
 * whole disk and an ext4 filesystem on it. Checked by the guard first: only the lab's own loop
 * devices. Resolves with the filesystem's UUID (for the node's fstab).
 */
export async function prepareDisk(resources: readonly LabResource[], labDir: string, device: string): Promise<string> {
  const disk = await assertLabDevice(resources, labDir, device);
  await run("parted", ["--script", "--align", "optimal", disk, "mklabel", "gpt", "mkpart", "primary", "ext4", "0%", "100%"]);
  const partition = partitionOf(disk);
  await waitForDevice(partition);
  await run("mkfs.ext4", ["-q", "-F", partition]);
  return (await run("blkid", ["--probe", "--match-tag", "UUID", "--output", "value", partition])).trim();
}
