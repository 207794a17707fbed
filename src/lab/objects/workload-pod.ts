import type { KubeObject } from "../kube-api/index.js";
import { csiAttachmentName, LONGHORN_DRIVER } from "./csi-names.js";

/** A Running, Ready pod of a StatefulSet on a node, using the claim (seed and the lab's StatefulSet controller). */
export function workloadPod(
  set: { name: string; namespace: string; uid: string; template: Record<string, unknown> },
  node: { name: string; address: string },
  now: string,
): KubeObject {
  const template = set.template as { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `${set.name}-0`,
      namespace: set.namespace,
      labels: { ...(template.metadata?.labels ?? {}), "statefulset.kubernetes.io/pod-name": `${set.name}-0` },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "StatefulSet", name: set.name, uid: set.uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: { ...(template.spec ?? {}), nodeName: node.name },
    status: {
      phase: "Running",
      hostIP: node.address,
      startTime: now,
      conditions: ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
        type,
        status: "True",
        lastTransitionTime: now,
      })),
    },
  };
}

/** The CSI VolumeAttachment the external-attacher keeps for a volume attached to a node (longhorn-node preflight's check-attachments reads it). */
export function csiVolumeAttachment(volume: string, node: string, now: string): KubeObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "VolumeAttachment",
    metadata: { name: csiAttachmentName(volume, node), finalizers: ["external-attacher/driver-longhorn-io"] },
    spec: { attacher: LONGHORN_DRIVER, nodeName: node, source: { persistentVolumeName: volume } },
    status: { attached: true, attachmentMetadata: { "recover-lab/attached-at": now } },
  };
}
