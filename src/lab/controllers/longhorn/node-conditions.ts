import { conditionStatus, setCondition } from "./conditions.js";
import type { Condition, DiskStatus, LonghornNode } from "./types.js";

/** The parts of a Kubernetes Node and of a longhorn-manager pod the node controller reads. */
export interface KubeNodeView {
  conditions: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  unschedulable?: boolean;
}
export interface ManagerPodView {
  name: string;
  nodeName: string;
  phase: string;
  ready: boolean;
}

/** node_controller.go: a kubelet's brief NotReady at restart is ignored this long. */
export const IGNORE_KUBELET_NOT_READY_MS = 15_000;

export interface NodeConditionsResult {
  conditions: Condition[];
  diskStatus: Record<string, DiskStatus>;
}

/**
 * NodeController.syncNode's conditions, pure: KubernetesNodeGone when the Kubernetes node is
 * missing; else setReadyConditionForManagerPod (ManagerPodMissing / ManagerPodDown — a node
 * without the storage=longhorn label loses its manager pod), setReadyConditionForKubeNode
 * (KubernetesNodeNotReady, KubernetesNodePressure), Ready True otherwise, Schedulable, and
 * markAllDisksNotReadyWhenNodeNotReady. What longhorn-node's remove-node guards and node-ready verify read.
 */
export function syncNodeConditions(input: {
  node: LonghornNode;
  kubeNode: KubeNodeView | undefined;
  managerPods: readonly ManagerPodView[];
  now: string;
  nowMs: number;
  disableSchedulingOnCordonedNode?: boolean;
}): NodeConditionsResult {
  const { node, now } = input;
  const name = node.metadata.name;
  let conditions = [...(node.status?.conditions ?? [])];
  const diskStatus = structuredClone(node.status?.diskStatus ?? {});
  if (!input.kubeNode) {
    conditions = setCondition(
      conditions,
      "Ready",
      "False",
      "KubernetesNodeGone",
      `Kubernetes node missing: node ${name} has been removed from the cluster`,
      now,
    );
    return { conditions, diskStatus };
  }
  let ready = true;
  const pod = input.managerPods.find((p) => p.nodeName === name);
  if (!pod) {
    ready = false;
    conditions = setCondition(
      conditions,
      "Ready",
      "False",
      "ManagerPodMissing",
      `Manager pod is missing: node ${name} has no manager pod running on it`,
      now,
    );
  } else if (!pod.ready || pod.phase !== "Running") {
    ready = false;
    conditions = setCondition(
      conditions,
      "Ready",
      "False",
      "ManagerPodDown",
      `Node ${name} is down: manager pod ${pod.name} is not running`,
      now,
    );
  }
  for (const c of input.kubeNode.conditions) {
    if (c.type === "Ready" && c.status !== "True") {
      const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
      if (c.status === "False" && input.nowMs - since < IGNORE_KUBELET_NOT_READY_MS) continue;
      ready = false;
      conditions = setCondition(
        conditions,
        "Ready",
        "False",
        "KubernetesNodeNotReady",
        `Kubernetes node ${name} not ready: ${c.reason ?? ""}`,
        now,
      );
    } else if (["DiskPressure", "PIDPressure", "MemoryPressure", "NetworkUnavailable"].includes(c.type) && c.status === "True") {
      ready = false;
      conditions = setCondition(
        conditions,
        "Ready",
        "False",
        "KubernetesNodePressure",
        `Kubernetes node ${name} has pressure: ${c.reason ?? ""}, ${c.message ?? ""}`,
        now,
      );
    }
  }
  if (ready) conditions = setCondition(conditions, "Ready", "True", "", `Node ${name} is ready`, now);
  conditions =
    input.disableSchedulingOnCordonedNode !== false && input.kubeNode.unschedulable
      ? setCondition(conditions, "Schedulable", "False", "KubernetesNodeCordoned", `Node ${name} is cordoned`, now)
      : setCondition(conditions, "Schedulable", "True", "", "", now);
  if (conditionStatus(conditions, "Ready") !== "True") {
    for (const [diskName, disk] of Object.entries(diskStatus)) {
      for (const [type, state] of [
        ["Ready", "ready"],
        ["Schedulable", "schedulable"],
      ] as const)
        disk.conditions = setCondition(
          disk.conditions,
          type,
          "False",
          "NodeNotReady",
          `Waiting for disk ${diskName} (${disk.diskPath}) on node ${name} to be ${state}`,
          now,
        );
    }
  }
  return { conditions, diskStatus };
}

/**
 * NodeController.syncNode on a Node CR being deleted: RemoveFinalizerForNode, at once (1.9: a
 * `kubectl delete` of the CR completes while the manager keeps running; longhorn-node's
 * delete-node-cr step). Returns the finalizers to keep, or undefined when there is nothing to do.
 */
export function finalizersAfterDeletion(node: LonghornNode): string[] | undefined {
  if (!node.metadata.deletionTimestamp) return undefined;
  const finalizers = node.metadata.finalizers ?? [];
  return finalizers.includes("longhorn.io") ? finalizers.filter((f) => f !== "longhorn.io") : undefined;
}
