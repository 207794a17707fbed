import { randomUUID } from "node:crypto";
import { prepareDisk } from "../host/disk-prep.js";
import { attachLoop, createSparseFile } from "../host/loop.js";
import type { LabDisk, LabModel } from "../model/lab-model.js";
import type { StateRecorder } from "../state/recorder.js";

/** A lab disk once built: its loop device, its filesystem's UUID (fstab) and Longhorn's disk UUID (longhorn-disk.cfg). */
export interface BuiltDisk {
  disk: LabDisk;
  loop: string;
  fsUuid: string;
  diskUUID: string;
}

export const loopId = (disk: LabDisk): string => `loop:${disk.node}/${disk.name}`;

/** Sparse file → loop device (recorded before it is attached) → GPT, one partition, ext4 (through the device guard). */
async function buildDisk(recorder: StateRecorder, disk: LabDisk): Promise<BuiltDisk> {
  await recorder.record({ kind: "loop", id: loopId(disk), backingFile: disk.image });
  await createSparseFile(disk.image, disk.sizeBytes);
  const loop = await attachLoop(disk.image);
  await recorder.complete(loopId(disk), { device: loop });
  const fsUuid = await prepareDisk(recorder.current.resources, recorder.current.dir, loop);
  return { disk, loop, fsUuid, diskUUID: randomUUID() };
}

/** Every disk of every node, in parallel; keyed by `node/disk`. */
export async function buildDisks(recorder: StateRecorder, model: LabModel): Promise<Map<string, BuiltDisk>> {
  const disks = model.nodes.flatMap((n) => n.disks);
  const built = await Promise.all(disks.map((d) => buildDisk(recorder, d)));
  return new Map(built.map((b) => [`${b.disk.node}/${b.disk.name}`, b]));
}
