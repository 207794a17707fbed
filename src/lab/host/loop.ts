import { mkdir, open, readFile } from "node:fs/promises";
import path from "node:path";
import { run } from "./run.js";

/** Makes a sparse file of `size` bytes (nothing is allocated until written). */
export async function createSparseFile(file: string, size: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, "wx", 0o600);
  try {
    await handle.truncate(size);
  } finally {
    await handle.close();
  }
}

/** Attaches a loop device over `file` with partition scanning, as the kernel picks the device; resolves with /dev/loopN. */
export async function attachLoop(file: string): Promise<string> {
  const device = (await run("losetup", ["--find", "--show", "--partscan", file])).trim();
  if (!/^\/dev\/loop\d+$/.test(device)) throw new Error(`losetup printed ${JSON.stringify(device)} for ${file}, not a loop device`);
  return device;
}

/** The loop devices whose backing file is `file` (several if attached more than once). */
export async function loopsOf(file: string): Promise<string[]> {
  const out = await run("losetup", ["--noheadings", "--output", "NAME", "--associated", file]);
  return out
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^\/dev\/loop\d+$/.test(l));
}

/** What the kernel says backs a loop device (undefined when it backs nothing). */
export async function backingFileOf(device: string): Promise<string | undefined> {
  const name = path.basename(device);
  const text = await readFile(`/sys/block/${name}/loop/backing_file`, "utf8").catch(() => undefined);
  return text?.trim() || undefined;
}

/** Detaches a loop device (the kernel does it once the last user lets go when it is still busy). */
export async function detachLoop(device: string): Promise<void> {
  await run("losetup", ["--detach", device]);
}
