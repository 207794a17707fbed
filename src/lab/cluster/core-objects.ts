import { LAB_NODE_LABELS } from "../gitops/lab-inventory.js";
import type { KubeObject } from "../kube-api/index.js";
import type { LabNode } from "../model/lab-model.js";
import { gracePeriodSeconds, longhornImage, type SeedInput } from "./seed-input.js";

/** Names the per-node Longhorn pods and objects get, chosen once and shared by core and Longhorn objects. */
export interface NodeNames {
  managerPod: string;
  instanceManager: string;
}

const K3S_VERSION = "v1.32.5+k3s1";

/** A Kubernetes Node as k3s registers it, Ready, with the labels Longhorn needs and the lab's address. */
function kubeNode(node: LabNode, index: number, now: string): KubeObject {
  const server = index === 0;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: node.name,
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": node.name,
        "kubernetes.io/os": "linux",
        ...(server ? { "node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true" } : {}),
        ...LAB_NODE_LABELS,
      },
      annotations: {
        // create-default-disk=config reads this when a manager recreates the Node CR (shared/domain: default disks).
        "node.longhorn.io/default-disks-config": JSON.stringify(
          node.disks.map((d) => ({ name: d.name, path: d.mount, allowScheduling: true, storageReserved: 0, tags: [] })),
        ),
      },
    },
    spec: { podCIDR: `10.42.${index}.0/24`, podCIDRs: [`10.42.${index}.0/24`], providerID: `k3s://${node.name}` },
    status: {
      conditions: [
        ["MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
        ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
        ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
        ["Ready", "True", "KubeletReady", "kubelet is posting ready status"],
      ].map(([type, status, reason, message]) => ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now })),
      addresses: [
        { type: "InternalIP", address: node.address },
        { type: "Hostname", address: node.name },
      ],
      capacity: { cpu: "2", memory: "4025836Ki", pods: "110", "ephemeral-storage": "30787492Ki" },
      allocatable: { cpu: "2", memory: "4025836Ki", pods: "110", "ephemeral-storage": "29949605225" },
      nodeInfo: {
        architecture: "amd64",
        bootID: "",
        containerRuntimeVersion: "containerd://2.0.5-k3s1",
        kernelVersion: "6.1.0-lab",
        kubeProxyVersion: K3S_VERSION,
        kubeletVersion: K3S_VERSION,
        machineID: "",
        operatingSystem: "linux",
        osImage: "Debian GNU/Linux 12 (bookworm)",
        systemUUID: "",
      },
    },
  };
}

function runningPod(
  name: string,
  namespace: string,
  node: LabNode,
  podIP: string,
  now: string,
  extra: {
    labels: Record<string, string>;
    ownerReferences: unknown[];
    container: string;
    image: string;
    volumes?: unknown[];
    grace: number;
  },
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: extra.labels, ownerReferences: extra.ownerReferences },
    spec: {
      nodeName: node.name,
      containers: [{ name: extra.container, image: extra.image }],
      restartPolicy: "Always",
      terminationGracePeriodSeconds: extra.grace,
      ...(extra.volumes ? { volumes: extra.volumes } : {}),
    },
    status: {
      phase: "Running",
      hostIP: node.address,
      podIP,
      startTime: now,
      conditions: ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
        type,
        status: "True",
        lastTransitionTime: now,
      })),
      containerStatuses: [
        {
          name: extra.container,
          image: extra.image,
          imageID: "",
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: now } },
        },
      ],
    },
  };
}

/**
 * The core objects: Namespaces, a Ready Node per lab node, and the pods Longhorn runs on each
 * (longhorn-manager, DaemonSet-owned; instance-manager, owned by its InstanceManager), plus the
 * workload that uses the attached volume (kubelet simulation, drain and eviction drills).
 */
export function coreObjects(
  input: SeedInput,
  names: Map<string, NodeNames>,
  uids: { daemonSet: string; instanceManagers: Map<string, string> },
): KubeObject[] {
  const { model, now } = input;
  const version = model.options.version;
  const objects: KubeObject[] = ["longhorn-system", "flux-system", "monitoring"].map((name) => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name },
  }));
  model.nodes.forEach((node, index) => {
    const own = names.get(node.name) as NodeNames;
    objects.push(kubeNode(node, index, now));
    objects.push(
      runningPod(own.managerPod, "longhorn-system", node, `10.42.${index}.10`, now, {
        labels: {
          app: "longhorn-manager",
          "app.kubernetes.io/name": "longhorn",
          "controller-revision-hash": "6d9c8b7f5",
          "pod-template-generation": "1",
        },
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "DaemonSet",
            name: "longhorn-manager",
            uid: uids.daemonSet,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        container: "longhorn-manager",
        image: longhornImage("manager", version),
        grace: gracePeriodSeconds(model.options.speed),
      }),
      runningPod(own.instanceManager, "longhorn-system", node, `10.42.${index}.11`, now, {
        labels: {
          "longhorn.io/component": "instance-manager",
          "longhorn.io/instance-manager-type": "aio",
          "longhorn.io/data-engine": "v1",
          "longhorn.io/node": node.name,
          "longhorn.io/managed-by": "longhorn-manager",
        },
        ownerReferences: [
          {
            apiVersion: "longhorn.io/v1beta2",
            kind: "InstanceManager",
            name: own.instanceManager,
            uid: uids.instanceManagers.get(node.name),
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        container: "instance-manager",
        image: longhornImage("instance-manager", version),
        grace: gracePeriodSeconds(model.options.speed),
      }),
    );
  });
  return objects;
}
