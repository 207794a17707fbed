import type { KubeObject } from "../kube-api/index.js";
import { LONGHORN_DRIVER } from "../objects/csi-names.js";
import { csiVolumeAttachment, workloadPod } from "../objects/workload-pod.js";
import { gracePeriodSeconds, type SeedInput } from "./seed-input.js";
import type { PlannedVolume } from "./volume-plan.js";

/** The workload's name for its claim (prometheus-data → prometheus). */
export const workloadName = (claim: string): string => claim.replace(/-data$/, "");

/** The StatefulSet (one replica) and PodDisruptionBudget (minAvailable 1) of a volume's workload: drain meets the PDB (429). */
function workloadSet(v: PlannedVolume, uid: string, speed: number): KubeObject[] {
  const name = workloadName(v.claim.name);
  return [
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name, namespace: v.claim.namespace, uid, generation: 1, labels: { app: name } },
      spec: {
        replicas: 1,
        serviceName: name,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [{ name: "app", image: "busybox:1.36" }],
            volumes: [{ name: "data", persistentVolumeClaim: { claimName: v.claim.name } }],
            terminationGracePeriodSeconds: gracePeriodSeconds(speed),
          },
        },
      },
      status: { replicas: 1, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1, availableReplicas: 1, observedGeneration: 1 },
    },
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name, namespace: v.claim.namespace },
      spec: { minAvailable: 1, selector: { matchLabels: { app: name } } },
    },
  ];
}

/**
 * The PersistentVolume and claim behind each Longhorn volume, and for the attached one its
 * workload: a StatefulSet whose pod runs on the volume's node, its PodDisruptionBudget and the
 * CSI VolumeAttachment (kubelet simulation, drain drills, longhorn-node's preflight).
 */
export function workloadObjects(input: SeedInput): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const v of input.volumes) {
    const size = `${v.sizeBytes / (1024 * 1024)}Mi`;
    objects.push(
      {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name: v.name, annotations: { "pv.kubernetes.io/provisioned-by": LONGHORN_DRIVER } },
        spec: {
          capacity: { storage: size },
          accessModes: ["ReadWriteOnce"],
          persistentVolumeReclaimPolicy: "Delete",
          storageClassName: "longhorn",
          claimRef: { kind: "PersistentVolumeClaim", namespace: v.claim.namespace, name: v.claim.name },
          csi: { driver: LONGHORN_DRIVER, volumeHandle: v.name, fsType: "ext4" },
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
    const uid = input.names.uuid();
    const [set, pdb] = workloadSet(v, uid, input.model.options.speed) as [KubeObject, KubeObject];
    const template = (set.spec as { template: Record<string, unknown> }).template;
    objects.push(
      set,
      pdb,
      workloadPod({ name: set.metadata.name as string, namespace: v.claim.namespace, uid, template }, node, input.now),
      csiVolumeAttachment(v.name, node.name, input.now),
    );
  }
  return objects;
}
