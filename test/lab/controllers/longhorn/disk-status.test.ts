import { describe, expect, it } from "vitest";
import { conditionStatus } from "../../../../src/lab/controllers/longhorn/conditions.js";
import type { CollectedDiskInfo } from "../../../../src/lab/controllers/longhorn/disk-monitor.js";
import { syncDiskStatus } from "../../../../src/lab/controllers/longhorn/disk-status.js";
import { DEFAULT_SCHEDULING } from "../../../../src/lab/controllers/longhorn/scheduling.js";
import { diskSpec, MIB, NOW, node, readyDisk, replica } from "./fixtures.js";

const stat = (fsid: string, available = 240 * MIB) => ({ fsid, storageMaximum: 250 * MIB, storageAvailable: available, type: "ext2/ext3" });
const info = (uuid: string, path: string, fsid = "fs1", available?: number): CollectedDiskInfo => ({
  diskName: "sdf1",
  diskUUID: uuid,
  path,
  stat: stat(fsid, available),
});
const P = "/mnt/longhorn/sdf1";

describe("the node controller's disk status (NodeController.syncDiskStatus)", () => {
  it("makes a disk Ready and Schedulable with its UUID, available space in whole 100 MiB, and its replicas counted", () => {
    const n = node("k3s1", { sdf1: diskSpec(P) });
    const { diskStatus } = syncDiskStatus({
      node: n,
      collected: { sdf1: info("u1", P) },
      replicas: [replica("r1", "k3s1", "u1", P), replica("r2", "k3s2", "other", "/x")],
      settings: DEFAULT_SCHEDULING,
      now: NOW,
    });
    expect(diskStatus.sdf1).toMatchObject({
      diskUUID: "u1",
      storageAvailable: 200 * MIB,
      storageMaximum: 250 * MIB,
      storageScheduled: 8 * MIB,
    });
    expect(diskStatus.sdf1?.scheduledReplica).toEqual({ r1: 8 * MIB });
    expect(conditionStatus(diskStatus.sdf1?.conditions, "Ready")).toBe("True");
    expect(diskStatus.sdf1?.conditions.find((c) => c.type === "Ready")?.message).toBe(`Disk sdf1(${P}) on node k3s1 is ready`);
    expect(conditionStatus(diskStatus.sdf1?.conditions, "Schedulable")).toBe("True");
  });

  it("registers {} on a fresh node with an empty diskUUID (what #6790's replicas later fail on)", () => {
    const { diskStatus } = syncDiskStatus({
      node: node("k3s1", { sdf1: diskSpec(P) }),
      collected: { sdf1: info("", P) },
      replicas: [],
      settings: DEFAULT_SCHEDULING,
      now: NOW,
    });
    expect(diskStatus.sdf1?.diskUUID).toBe("");
    expect(conditionStatus(diskStatus.sdf1?.conditions, "Ready")).toBe("True");
  });

  it("counts #6790's replicas (empty diskID) on the empty-UUID disk they sit on, so eviction finds them, and moves none", () => {
    const { diskStatus, replicaMoves } = syncDiskStatus({
      node: node("k3s1", { sdf1: diskSpec(P) }),
      collected: { sdf1: info("", P) },
      replicas: [replica("stuck", "k3s1", "", P), replica("elsewhere", "k3s2", "", "/mnt/longhorn/sdb1")],
      settings: DEFAULT_SCHEDULING,
      now: NOW,
    });
    expect(diskStatus.sdf1?.scheduledReplica).toEqual({ stuck: 8 * MIB });
    expect(replicaMoves).toEqual([]);
  });

  it("marks a recorded disk whose cfg now says {} DiskFilesystemChanged", () => {
    const n = node("k3s1", { sdf1: diskSpec(P) }, { sdf1: readyDisk("u1", P) });
    const { diskStatus } = syncDiskStatus({
      node: n,
      collected: { sdf1: info("", P) },
      replicas: [],
      settings: DEFAULT_SCHEDULING,
      now: NOW,
    });
    const ready = diskStatus.sdf1?.conditions.find((c) => c.type === "Ready");
    expect(ready).toMatchObject({
      status: "False",
      reason: "DiskFilesystemChanged",
      message: `Disk sdf1(${P}) on node k3s1 is not ready: cannot find disk config file, maybe due to a mount error`,
    });
    expect(diskStatus.sdf1?.conditions.find((c) => c.type === "Schedulable")).toMatchObject({ status: "False", reason: "DiskNotReady" });
  });

  it("refuses a wiped disk under its old key (UUID mismatch: no available disk)", () => {
    const n = node("k3s1", { sdf1: diskSpec(P) }, { sdf1: readyDisk("u1", P) });
    const { diskStatus } = syncDiskStatus({
      node: n,
      collected: { sdf1: info("u2", P) },
      replicas: [],
      settings: DEFAULT_SCHEDULING,
      now: NOW,
    });
    expect(diskStatus.sdf1?.conditions.find((c) => c.type === "Ready")?.message).toBe(
      `Disk sdf1(${P}) on node k3s1 is not ready: record diskUUID doesn't match the one on the disk `,
    );
    expect(diskStatus.sdf1?.diskUUID).toBe("u1");
  });

  it("keeps the first of two disks on one filesystem and refuses the other", () => {
    const n = node("k3s1", { sdf1: diskSpec(P), sdg1: diskSpec("/mnt/longhorn/sdg1") });
    const { diskStatus } = syncDiskStatus({
      node: n,
      collected: { sdf1: info("u1", P, "same"), sdg1: { ...info("u2", "/mnt/longhorn/sdg1", "same"), diskName: "sdg1" } },
      replicas: [],
      settings: DEFAULT_SCHEDULING,
      now: NOW,
    });
    expect(conditionStatus(diskStatus.sdf1?.conditions, "Ready")).toBe("True");
    expect(diskStatus.sdg1?.conditions.find((c) => c.type === "Ready")?.message).toBe(
      "Disk sdg1(/mnt/longhorn/sdg1) on node k3s1 is not ready: disk has same file system ID same as other disks [sdf1 sdg1]",
    );
  });

  it("reports DiskPressure on a disk with less than 25 % free", () => {
    const { diskStatus } = syncDiskStatus({
      node: node("k3s1", { sdf1: diskSpec(P) }),
      collected: { sdf1: info("u1", P, "fs1", 50 * MIB) },
      replicas: [],
      settings: DEFAULT_SCHEDULING,
      now: NOW,
    });
    expect(diskStatus.sdf1?.conditions.find((c) => c.type === "Schedulable")).toMatchObject({
      status: "False",
      reason: "DiskPressure",
      message: expect.stringContaining("Storage Available must be greater than 0"),
    });
  });

  it("drops the status of a disk removed from the spec", () => {
    const n = node("k3s1", { sdf1: diskSpec(P) }, { sdf1: readyDisk("u1", P), old: readyDisk("u9", "/old") });
    const { diskStatus } = syncDiskStatus({
      node: n,
      collected: { sdf1: info("u1", P) },
      replicas: [],
      settings: DEFAULT_SCHEDULING,
      now: NOW,
    });
    expect(Object.keys(diskStatus)).toEqual(["sdf1"]);
  });
});
