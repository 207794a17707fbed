import { describe, expect, it } from "vitest";
import { collectDiskData, type DiskObservation } from "../../../../src/lab/controllers/longhorn/disk-monitor.js";
import { diskSpec, MIB, node } from "./fixtures.js";

const stat = { fsid: "fs1", storageMaximum: 250 * MIB, storageAvailable: 240 * MIB, type: "ext2/ext3" };
const k3s1 = node("k3s1", { sdf1: diskSpec("/mnt/longhorn/sdf1") });
const collect = (seen: DiskObservation) =>
  collectDiskData(
    k3s1,
    () => seen,
    () => "new-uuid",
  );

describe("the disk monitor (DiskMonitor.collectDiskData)", () => {
  it("writes a missing longhorn-disk.cfg with a fresh UUID", () => {
    const { collected, writes } = collect({ exists: true, stat });
    expect(writes).toEqual([
      {
        path: "/mnt/longhorn/sdf1/longhorn-disk.cfg",
        content: '{"diskName":"sdf1","diskUUID":"new-uuid","diskDriver":"","state":"ready"}',
      },
    ]);
    expect(collected.sdf1).toMatchObject({ diskUUID: "new-uuid" });
    expect(collected.sdf1?.condition).toBeUndefined();
  });

  it("never overwrites an existing one, and reads its UUID", () => {
    const { collected, writes } = collect({ exists: true, stat, config: '{"diskName":"sdf1","diskUUID":"old-uuid"}' });
    expect(writes).toEqual([]);
    expect(collected.sdf1?.diskUUID).toBe("old-uuid");
  });

  it("finds no disk info in an empty longhorn-disk.cfg, with Longhorn's message", () => {
    const { collected, writes } = collect({ exists: true, stat, config: "" });
    expect(writes).toEqual([]);
    expect(collected.sdf1?.condition).toEqual({
      status: "False",
      reason: "NoDiskInfo",
      message:
        "Disk sdf1(/mnt/longhorn/sdf1) on node k3s1 is not ready: errors: failed to get disk config: failed to get disk config for /mnt/longhorn/sdf1: failed to unmarshal host /mnt/longhorn/sdf1/longhorn-disk.cfg content: : unexpected end of JSON input",
    });
  });

  it("accepts {} with an empty diskUUID (the folklore's file)", () => {
    const { collected } = collect({ exists: true, stat, config: "{}" });
    expect(collected.sdf1).toMatchObject({ diskName: "", diskUUID: "" });
    expect(collected.sdf1?.condition).toBeUndefined();
  });

  it("cannot register a path that does not exist", () => {
    const { collected, writes } = collect({ exists: false });
    expect(writes).toEqual([]);
    expect(collected.sdf1?.condition?.reason).toBe("NoDiskInfo");
  });
});
