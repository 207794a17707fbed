import { describe, expect, it } from "vitest";
import { replicaStartError, scheduleReplica, shouldEvictReplica } from "../../../../src/lab/controllers/longhorn/eviction.js";
import { DEFAULT_SCHEDULING } from "../../../../src/lab/controllers/longhorn/scheduling.js";
import { diskSpec, MIB, node, readyDisk, replica } from "./fixtures.js";

const k3s1 = node(
  "k3s1",
  { sdf1: diskSpec("/mnt/longhorn/sdf1", { evictionRequested: true }) },
  { sdf1: readyDisk("u1", "/mnt/longhorn/sdf1") },
);
const k3s2 = node(
  "k3s2",
  { sdb1: diskSpec("/mnt/longhorn/sdb1"), sdc1: diskSpec("/mnt/longhorn/sdc1") },
  { sdb1: readyDisk("u2", "/mnt/longhorn/sdb1", { storageAvailable: 100 * MIB }), sdc1: readyDisk("u3", "/mnt/longhorn/sdc1") },
);
const evicted = replica("r1", "k3s1", "u1", "/mnt/longhorn/sdf1");
const soft = { ...DEFAULT_SCHEDULING, softAntiAffinity: true };

describe("eviction", () => {
  it("is requested for replicas on a disk or node with evictionRequested (NodeController.shouldEvictReplica)", () => {
    expect(shouldEvictReplica(k3s1, "sdf1", { ready: true }, "block-if-contains-last-replica")).toBe(true);
    expect(shouldEvictReplica(k3s2, "sdb1", { ready: true }, "block-if-contains-last-replica")).toBe(false);
    expect(shouldEvictReplica(k3s1, "sdf1", { ready: false }, "block-if-contains-last-replica")).toBe(false);
  });

  it("moves a replica to the schedulable disk with the most room on another node", () => {
    expect(scheduleReplica(evicted, [evicted], [k3s1, k3s2], soft)).toEqual({
      node: "k3s2",
      disk: "sdc1",
      diskUUID: "u3",
      diskPath: "/mnt/longhorn/sdc1",
    });
  });

  it("without soft anti-affinity, never onto a node that already holds a replica of the volume", () => {
    const other = replica("r2", "k3s2", "u2", "/mnt/longhorn/sdb1");
    const leaving = { ...k3s1, spec: { ...k3s1.spec, evictionRequested: true } };
    expect(scheduleReplica(evicted, [evicted, other], [leaving, k3s2], { ...soft, softAntiAffinity: false })).toBe(
      "hard affinity cannot be satisfied",
    );
    expect(scheduleReplica(evicted, [evicted, other], [leaving, k3s2], soft)).toMatchObject({ node: "k3s2" });
  });

  it("leaves the replica with the scheduler's reason when no disk can take it", () => {
    const full = node(
      "k3s2",
      { sdb1: diskSpec("/mnt/longhorn/sdb1") },
      { sdb1: readyDisk("u2", "/mnt/longhorn/sdb1", { storageAvailable: 60 * MIB }) },
    );
    expect(scheduleReplica(evicted, [evicted], [k3s1, full], soft)).toBe("insufficient storage");
    const off = node(
      "k3s2",
      { sdb1: diskSpec("/mnt/longhorn/sdb1", { allowScheduling: false }) },
      { sdb1: readyDisk("u2", "/mnt/longhorn/sdb1") },
    );
    expect(scheduleReplica(evicted, [evicted], [k3s1, off], soft)).toBe("disks are unavailable");
    expect(scheduleReplica(evicted, [evicted], [k3s1, node("k3s2", {}, {}, false)], soft)).toBe("disks are unavailable");
  });

  it("cannot start a replica without a disk UUID (ReplicaController.CreateInstance, #6790)", () => {
    expect(replicaStartError(replica("r9", "k3s1", "", "/mnt/longhorn/sdf1"))).toBe("missing parameters for replica instance creation: r9");
    expect(replicaStartError(evicted)).toBeUndefined();
  });
});
