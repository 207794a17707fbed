import { realpath } from "node:fs/promises";
import path from "node:path";
import { RecoverError } from "../../errors.js";
import type { LabResource } from "../state/state-file.js";
import { backingFileOf } from "./loop.js";

/** The lab refused to touch a device it did not create. */
export class LabGuardError extends RecoverError {
  constructor(
    message: string,
    readonly device: string,
  ) {
    super(message);
  }
}

/**
 * Why `device` (resolved) may not be wiped or partitioned by the lab, or undefined when it may: it
 * must be a loop device state.json records as attached by this lab, still backed by that lab
 * file, which lies inside the lab's directory. Pure: the caller reads the kernel's answer.
 */
export function refusal(
  resources: readonly LabResource[],
  labDir: string,
  device: string,
  kernelBacking: string | undefined,
): string | undefined {
  if (!/^\/dev\/loop\d+$/.test(device)) return `${device} is not a loop device`;
  const loop = resources.find((r) => r.kind === "loop" && r.device === device);
  if (loop?.kind !== "loop") return `${device} is not a loop device this lab attached (state.json)`;
  const inside = path.relative(labDir, loop.backingFile);
  if (inside.startsWith("..") || path.isAbsolute(inside))
    return `${device}'s recorded file ${loop.backingFile} is outside the lab's directory ${labDir}`;
  if (kernelBacking !== loop.backingFile)
    return `${device} is backed by ${kernelBacking ?? "nothing"} now, not by the lab's ${loop.backingFile}`;
  return undefined;
}

/** Throws LabGuardError unless `device` is one of this lab's own loop devices (symlinks resolved). */
export async function assertLabDevice(resources: readonly LabResource[], labDir: string, device: string): Promise<string> {
  const resolved = await realpath(device).catch(() => device);
  const why = refusal(resources, labDir, resolved, await backingFileOf(resolved));
  if (why) throw new LabGuardError(`lab guard: refusing to write to ${device}: ${why}`, device);
  return resolved;
}
