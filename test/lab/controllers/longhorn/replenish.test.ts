import { describe, expect, it } from "vitest";
import { scheduleReplica } from "../../../../src/lab/controllers/longhorn/eviction.js";
import { replicasOnFailedDisks, replicasToAdd, robustnessOf } from "../../../../src/lab/controllers/longhorn/replenish.js";
import { DEFAULT_SCHEDULING } from "../../../../src/lab/controllers/longhorn/scheduling.js";
import type { Replica } from "../../../../src/lab/controllers/longhorn/types.js";
import { diskSpec, MIB, NOW, node, readyDisk, replica } from "./fixtures.js";

const notReady = (uuid: string, path: string) =>
  readyDisk(uuid, path, {
    conditions: [{ type: "Ready", status: "False", reason: "NoDiskInfo", message: "", lastProbeTime: "", lastTransitionTime: NOW }],
  });
const k3s1 = node(
  "k3s1",
  { sdf1: diskSpec("/mnt/longhorn/sdf1"), sdg1: diskSpec("/mnt/longhorn/sdg1") },
  { sdf1: notReady("u1", "/mnt/longhorn/sdf1"), sdg1: readyDisk("u2", "/mnt/longhorn/sdg1") },
);
const k3s2 = node(
  "k3s2",
  { sdf1: diskSpec("/mnt/longhorn/sdf1"), sdg1: diskSpec("/mnt/longhorn/sdg1") },
  { sdf1: readyDisk("u3", "/mnt/longhorn/sdf1"), sdg1: readyDisk("u4", "/mnt/longhorn/sdg1", { storageAvailable: 220 * MIB }) },
);
const running = (r: Replica, state = "running"): Replica => ({ ...r, status: { currentState: state } });
const failed = (r: Replica): Replica => ({ ...r, spec: { ...r.spec, failedAt: NOW }, status: { currentState: "stopped" } });
const onFailed = running(replica("r1", "k3s1", "u1", "/mnt/longhorn/sdf1"));
const healthy = running(replica("r2", "k3s2", "u3", "/mnt/longhorn/sdf1"));
const hard = { ...DEFAULT_SCHEDULING, softAntiAffinity: false };
const soft = { ...DEFAULT_SCHEDULING, softAntiAffinity: true };

describe("a disk failing under replicas (volume controller, replica scheduler)", () => {
  it("fails the replicas whose disk is not Ready or gone, not those on Ready disks nor #6790's empty diskID", () => {
    const gone = running(replica("r3", "k3s2", "u-old", "/mnt/longhorn/sdh1"));
    const noId = running(replica("r4", "k3s1", "", "/mnt/longhorn/sdg1"));
    expect(replicasOnFailedDisks([onFailed, healthy, gone, noId], [k3s1, k3s2]).map((r) => r.metadata.name)).toEqual(["r1", "r3"]);
    expect(replicasOnFailedDisks([failed(onFailed)], [k3s1, k3s2])).toEqual([]);
  });

  it("a volume with a failed replica is degraded, needs one more, and healthy once the replacement runs", () => {
    const replacement = replica("r5", "k3s1", "u2", "/mnt/longhorn/sdg1");
    expect(robustnessOf(2, [failed(onFailed), healthy])).toBe("degraded");
    expect(replicasToAdd(2, [failed(onFailed), healthy])).toBe(1);
    expect(replicasToAdd(2, [failed(onFailed), healthy, running(replacement, "starting")])).toBe(0);
    expect(robustnessOf(2, [failed(onFailed), healthy, running(replacement, "starting")])).toBe("degraded");
    expect(robustnessOf(2, [failed(onFailed), healthy, running(replacement)])).toBe("healthy");
    expect(robustnessOf(2, [failed(onFailed), failed(healthy)])).toBe("faulted");
    // #6790's replica in error on a Ready disk is waited for, not replaced (no endless new replicas).
    expect(replicasToAdd(2, [healthy, running(replica("r6", "k3s1", "", "/mnt/longhorn/sdg1"), "error")])).toBe(0);
    expect(robustnessOf(2, [healthy, running(replica("r6", "k3s1", "", "/mnt/longhorn/sdg1"), "error")])).toBe("degraded");
  });

  it("rebuilds on a node holding no usable replica first: the failed replica's own node, another disk (hard anti-affinity too)", () => {
    const volume = [failed(onFailed), healthy];
    expect(scheduleReplica(replica("new", "", "", ""), volume, [k3s1, k3s2], hard)).toMatchObject({ node: "k3s1", disk: "sdg1" });
    expect(scheduleReplica(replica("new", "", "", ""), volume, [k3s1, k3s2], soft)).toMatchObject({ node: "k3s1", disk: "sdg1" });
  });

  it("with soft anti-affinity, onto the node that holds the healthy replica when no other can take it; with hard, not at all", () => {
    const k3s1Off = { ...k3s1, spec: { ...k3s1.spec, allowScheduling: false } };
    const volume = [failed(onFailed), healthy];
    expect(scheduleReplica(replica("new", "", "", ""), volume, [k3s1Off, k3s2], soft)).toMatchObject({ node: "k3s2", disk: "sdg1" });
    expect(scheduleReplica(replica("new", "", "", ""), volume, [k3s1Off, k3s2], hard)).toBe("hard affinity cannot be satisfied");
  });

  it("a single-node cluster with hard anti-affinity cannot rebuild: the volume stays degraded", () => {
    const single = node(
      "k3s1",
      { sdf1: diskSpec("/mnt/longhorn/sdf1"), sdg1: diskSpec("/mnt/longhorn/sdg1"), sdh1: diskSpec("/mnt/longhorn/sdh1") },
      {
        sdf1: notReady("u1", "/mnt/longhorn/sdf1"),
        sdg1: readyDisk("u2", "/mnt/longhorn/sdg1"),
        sdh1: readyDisk("u5", "/mnt/longhorn/sdh1"),
      },
    );
    const volume = [failed(onFailed), running(replica("r2", "k3s1", "u2", "/mnt/longhorn/sdg1"))];
    expect(robustnessOf(2, volume)).toBe("degraded");
    expect(scheduleReplica(replica("new", "", "", ""), volume, [single], hard)).toBe("hard affinity cannot be satisfied");
  });
});
