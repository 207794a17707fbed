import { describe, expect, it } from "vitest";
import { countingNames } from "../../../src/lab/cluster/names.js";
import { seedObjects } from "../../../src/lab/cluster/seed.js";
import type { SeedInput } from "../../../src/lab/cluster/seed-input.js";
import { planVolumes, VOLUME_SIZE } from "../../../src/lab/cluster/volume-plan.js";
import { labModel } from "../../../src/lab/model/lab-model.js";
import { parseLabOptions } from "../../../src/lab/model/lab-options.js";

// biome-ignore lint/suspicious/noExplicitAny: seeded objects, navigated freely in assertions
type Json = any;

function seed(nodes: number): Json[] {
  const model = labModel(
    "/lab",
    parseLabOptions({ nodes: String(nodes), disks: "3" }),
    ["127.0.0.5", "127.0.0.6", "127.0.0.7"].slice(0, nodes),
  );
  const names = countingNames();
  const disks = new Map(
    model.nodes.flatMap((n) =>
      n.disks.map((d, i) => [`${n.name}/${d.name}`, { diskUUID: `uuid-${n.name}-${i}`, storageMaximum: 30e6, storageAvailable: 28e6 }]),
    ),
  );
  const input: SeedInput = {
    model,
    disks,
    volumes: planVolumes(model, names),
    fluxObjects: [],
    commit: "abc",
    now: "2026-01-01T00:00:00Z",
    names,
  };
  return seedObjects(input) as Json[];
}

const ofKind = (objects: Json[], kind: string) =>
  objects.filter((o) => o.kind === kind && (kind !== "Node" || o.apiVersion === "longhorn.io/v1beta2"));

describe("the lab's first cluster state", () => {
  const objects = seed(2);

  it("spreads each volume's replicas over the nodes, the attached one's engine away from k3s1", () => {
    const replicas = ofKind(objects, "Replica");
    for (const volume of ofKind(objects, "Volume")) {
      const own = replicas.filter((r) => r.spec.volumeName === volume.metadata.name);
      expect(new Set(own.map((r) => r.spec.nodeID)).size).toBe(2);
    }
    const engines = ofKind(objects, "Engine").filter((e) => e.spec.nodeID !== "");
    expect(engines.map((e) => e.spec.nodeID)).toEqual(["k3s2"]);
  });

  it("names each replica's disk by the UUID in that disk's status, and counts it in storageScheduled", () => {
    const nodes = ofKind(objects, "Node");
    for (const replica of ofKind(objects, "Replica")) {
      const node = nodes.find((n) => n.metadata.name === replica.spec.nodeID);
      const [key, disk] =
        Object.entries(node.status.diskStatus as Record<string, Json>).find(([, d]) => d.diskUUID === replica.spec.diskID) ?? [];
      expect(key, replica.metadata.name).toBeDefined();
      expect(disk.scheduledReplica[replica.metadata.name]).toBe(VOLUME_SIZE);
      expect(replica.spec.diskPath).toBe(node.spec.disks[key as string].path);
      expect(replica.metadata.labels.longhorndiskuuid).toBe(replica.spec.diskID);
    }
    for (const node of nodes)
      for (const disk of Object.values(node.status.diskStatus as Record<string, Json>))
        expect(disk.storageScheduled).toBe(Object.values(disk.scheduledReplica as Record<string, number>).reduce((a, b) => a + b, 0));
  });

  it("owns each longhorn-manager pod by the DaemonSet and each instance-manager pod by its InstanceManager", () => {
    const daemonSet = objects.find((o) => o.kind === "DaemonSet");
    const pods = ofKind(objects, "Pod").filter((p) => p.metadata.namespace === "longhorn-system");
    expect(pods).toHaveLength(4);
    for (const pod of pods) {
      const [owner] = pod.metadata.ownerReferences;
      const target =
        owner.kind === "DaemonSet" ? daemonSet : objects.find((o) => o.kind === "InstanceManager" && o.metadata.name === owner.name);
      expect(owner.uid).toBe(target.metadata.uid);
    }
  });

  it("works with a single node (one replica per volume)", () => {
    const single = seed(1);
    expect(ofKind(single, "Replica")).toHaveLength(2);
    expect(ofKind(single, "Engine").filter((e) => e.spec.nodeID === "k3s1")).toHaveLength(1);
  });
});
