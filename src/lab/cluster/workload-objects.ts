import type { KubeObject } from "../kube-api/index.js";
import type { SeedInput } from "./seed-input.js";

/**
 * The PersistentVolume and claim behind each Longhorn volume, and a workload pod using the
 * attached one on its node (kubelet simulation and drain drills place and stop it).
 */
export function workloadObjects(input: SeedInput): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const v of input.volumes) {
    const size = `${v.sizeBytes / (1024 * 1024)}Mi`;
    objects.push(
      {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name: v.name, annotations: { "pv.kubernetes.io/provisioned-by": "driver.longhorn.io" } },
        spec: {
          capacity: { storage: size },
          accessModes: ["ReadWriteOnce"],
          persistentVolumeReclaimPolicy: "Delete",
          storageClassName: "longhorn",
          claimRef: { kind: "PersistentVolumeClaim", namespace: v.claim.namespace, name: v.claim.name },
          csi: { driver: "driver.longhorn.io", volumeHandle: v.name, fsType: "ext4" },
        },
        status: { phase: "Bound" },
      },
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: v.claim.name, namespace: v.claim.namespace },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: "longhorn",
          volumeName: v.name,
          resources: { requests: { storage: size } },
        },
        status: { phase: "Bound", capacity: { storage: size }, accessModes: ["ReadWriteOnce"] },
      },
    );
    const node = input.model.nodes.find((n) => n.name === v.attachedTo);
    if (!node) continue;
    objects.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: `${v.claim.name.replace(/-data$/, "")}-0`,
        namespace: v.claim.namespace,
        labels: { app: v.claim.name.replace(/-data$/, "") },
      },
      spec: {
        nodeName: node.name,
        containers: [{ name: "app", image: "busybox:1.36" }],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: v.claim.name } }],
      },
      status: {
        phase: "Running",
        hostIP: node.address,
        startTime: input.now,
        conditions: ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
          type,
          status: "True",
          lastTransitionTime: input.now,
        })),
      },
    });
  }
  return objects;
}
