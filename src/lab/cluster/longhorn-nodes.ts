import { nodeConfigSpec } from "../gitops/node-config.js";
import type { KubeObject } from "../kube-api/index.js";
import type { LabNode } from "../model/lab-model.js";
import { condition, diskKey, type SeedInput } from "./seed-input.js";
import type { PlannedVolume } from "./volume-plan.js";

const NS = "longhorn-system";

/** Replica sizes scheduled on each disk (`scheduledReplica`), from the volume plan. */
function scheduledOn(volumes: readonly PlannedVolume[], node: string, disk: string): Record<string, number> {
  const scheduled: Record<string, number> = {};
  for (const v of volumes) for (const r of v.replicas) if (r.node === node && r.disk === disk) scheduled[r.name] = v.sizeBytes;
  return scheduled;
}

/** A registered, healthy Longhorn Node: the spec Git holds, every disk Ready and Schedulable with its UUID. */
function longhornNode(input: SeedInput, node: LabNode, instanceManager: string): KubeObject {
  const { now } = input;
  const diskStatus = Object.fromEntries(
    node.disks.map((d) => {
      const facts = input.disks.get(diskKey(node.name, d.name));
      const scheduledReplica = scheduledOn(input.volumes, node.name, d.name);
      return [
        d.name,
        {
          conditions: [condition("Ready", "True", now), condition("Schedulable", "True", now)],
          diskUUID: facts?.diskUUID ?? "",
          diskName: d.name,
          diskPath: d.mount,
          diskType: "filesystem",
          diskDriver: "",
          filesystemType: "ext2/ext3",
          storageMaximum: facts?.storageMaximum ?? 0,
          storageAvailable: facts?.storageAvailable ?? 0,
          storageScheduled: Object.values(scheduledReplica).reduce((a, b) => a + b, 0),
          scheduledReplica,
          scheduledBackingImage: {},
          instanceManagerName: instanceManager,
        },
      ];
    }),
  );
  return {
    apiVersion: "longhorn.io/v1beta2",
    kind: "Node",
    metadata: { name: node.name, namespace: NS, finalizers: ["longhorn.io"] },
    spec: { ...nodeConfigSpec(node), instanceManagerCPURequest: 0 },
    status: {
      conditions: [
        condition("Ready", "True", now),
        condition("Schedulable", "True", now),
        condition("MountPropagation", "True", now),
        condition("RequiredPackages", "True", now),
        condition("KernelModulesLoaded", "True", now),
        condition("NFSClientInstalled", "True", now),
        condition("Multipathd", "True", now),
      ],
      diskStatus,
      region: "",
      zone: "",
      autoEvicting: false,
      snapshotCheckStatus: {},
      cpuPolicy: "none",
    },
  };
}

/** Longhorn Nodes and the InstanceManager of each node (names shared with the pods). */
export function longhornNodeObjects(input: SeedInput, instanceManagers: Map<string, { name: string; uid: string }>): KubeObject[] {
  const version = input.model.options.version;
  return input.model.nodes.flatMap((node) => {
    const im = instanceManagers.get(node.name) as { name: string; uid: string };
    return [
      longhornNode(input, node, im.name),
      {
        apiVersion: "longhorn.io/v1beta2",
        kind: "InstanceManager",
        metadata: {
          name: im.name,
          namespace: NS,
          uid: im.uid,
          labels: { "longhorn.io/node": node.name, "longhorn.io/instance-manager-type": "aio" },
        },
        spec: { nodeID: node.name, type: "aio", dataEngine: "v1", image: `longhornio/longhorn-instance-manager:v${version}` },
        status: { currentState: "running", ownerID: node.name, ip: "", apiMinVersion: 1, apiVersion: 5 },
      },
    ];
  });
}
