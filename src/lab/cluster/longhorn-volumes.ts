import type { KubeObject } from "../kube-api/index.js";
import { csiAttachmentName } from "../objects/csi-names.js";
import { condition, diskKey, longhornImage, type SeedInput } from "./seed-input.js";

const NS = "longhorn-system";

/** Volumes, their engine, replicas and Longhorn VolumeAttachment, as Longhorn keeps a healthy volume. */
export function longhornVolumeObjects(input: SeedInput): KubeObject[] {
  const { model, now } = input;
  const engineImage = longhornImage("engine", model.options.version);
  const objects: KubeObject[] = [];
  for (const v of input.volumes) {
    const attached = v.attachedTo !== undefined;
    const node = v.attachedTo ?? "";
    objects.push({
      apiVersion: "longhorn.io/v1beta2",
      kind: "Volume",
      metadata: { name: v.name, namespace: NS, finalizers: ["longhorn.io"], labels: { longhornvolume: v.name } },
      spec: {
        size: String(v.sizeBytes),
        numberOfReplicas: v.replicas.length,
        frontend: "blockdev",
        dataEngine: "v1",
        dataLocality: "disabled",
        accessMode: "rwo",
        image: engineImage,
        nodeID: node,
        migratable: false,
        encrypted: false,
        replicaAutoBalance: "ignored",
      },
      status: {
        state: attached ? "attached" : "detached",
        robustness: attached ? "healthy" : "unknown",
        currentNodeID: node,
        ownerID: node || (model.nodes[0]?.name ?? ""),
        currentImage: engineImage,
        frontendDisabled: false,
        kubernetesStatus: { namespace: v.claim.namespace, pvcName: v.claim.name, pvName: v.name, pvStatus: "Bound", workloadsStatus: [] },
        conditions: [condition("Scheduled", "True", now), condition("Restore", "False", now), condition("TooManySnapshots", "False", now)],
      },
    });
    objects.push({
      apiVersion: "longhorn.io/v1beta2",
      kind: "Engine",
      metadata: {
        name: v.engineName,
        namespace: NS,
        finalizers: ["longhorn.io"],
        labels: { longhornvolume: v.name, ...(attached ? { longhornnode: node } : {}) },
      },
      spec: {
        volumeName: v.name,
        volumeSize: String(v.sizeBytes),
        nodeID: node,
        desireState: attached ? "running" : "stopped",
        dataEngine: "v1",
        image: engineImage,
        frontend: "blockdev",
        replicaAddressMap: {},
      },
      status: { currentState: attached ? "running" : "stopped", currentImage: engineImage, ownerID: node || (model.nodes[0]?.name ?? "") },
    });
    for (const r of v.replicas) {
      const disk = model.nodes.find((n) => n.name === r.node)?.disks.find((d) => d.name === r.disk);
      const uuid = input.disks.get(diskKey(r.node, r.disk))?.diskUUID ?? "";
      objects.push({
        apiVersion: "longhorn.io/v1beta2",
        kind: "Replica",
        metadata: {
          name: r.name,
          namespace: NS,
          finalizers: ["longhorn.io"],
          labels: { longhornnode: r.node, longhorndiskuuid: uuid, longhornvolume: v.name },
        },
        spec: {
          nodeID: r.node,
          diskID: uuid,
          diskPath: disk?.mount ?? "",
          dataDirectoryName: r.dataDirectoryName,
          volumeName: v.name,
          volumeSize: String(v.sizeBytes),
          engineName: v.engineName,
          desireState: attached ? "running" : "stopped",
          dataEngine: "v1",
          image: engineImage,
          active: true,
        },
        status: { currentState: attached ? "running" : "stopped", currentImage: engineImage, ownerID: r.node },
      });
    }
    objects.push({
      apiVersion: "longhorn.io/v1beta2",
      kind: "VolumeAttachment",
      metadata: { name: v.name, namespace: NS, labels: { longhornvolume: v.name } },
      spec: {
        volume: v.name,
        attachmentTickets: attached
          ? {
              [csiAttachmentName(v.name, node)]: {
                id: csiAttachmentName(v.name, node),
                type: "csi-attacher",
                nodeID: node,
                parameters: { disableFrontend: "false" },
                generation: 0,
              },
            }
          : {},
      },
      status: { attachmentTicketStatuses: {} },
    });
  }
  return objects;
}
