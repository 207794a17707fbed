import type { KubeObject } from "../kube-api/index.js";
import { coreObjects, type NodeNames } from "./core-objects.js";
import { isFluxObject, withFluxStatus } from "./flux-status.js";
import { longhornNodeObjects } from "./longhorn-nodes.js";
import { engineImage, longhornSettings } from "./longhorn-settings.js";
import { longhornVolumeObjects } from "./longhorn-volumes.js";
import { gracePeriodSeconds, type SeedInput } from "./seed-input.js";
import { workloadObjects } from "./workload-objects.js";

/** The DaemonSet Longhorn runs its manager with (its pods are the manager's: ManagerPodMissing when gone). */
function managerDaemonSet(input: SeedInput, uid: string): KubeObject {
  const image = `longhornio/longhorn-manager:v${input.model.options.version}`;
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "longhorn-manager", namespace: "longhorn-system", uid, labels: { app: "longhorn-manager" } },
    spec: {
      selector: { matchLabels: { app: "longhorn-manager" } },
      template: {
        metadata: { labels: { app: "longhorn-manager" } },
        // The lab's HelmRelease sets this nodeSelector: dropping the label removes the pod (shared/domain).
        spec: {
          nodeSelector: { storage: "longhorn" },
          containers: [{ name: "longhorn-manager", image }],
          terminationGracePeriodSeconds: gracePeriodSeconds(input.model.options.speed),
        },
      },
    },
    status: {
      currentNumberScheduled: input.model.nodes.length,
      desiredNumberScheduled: input.model.nodes.length,
      numberReady: input.model.nodes.length,
      numberAvailable: input.model.nodes.length,
      updatedNumberScheduled: input.model.nodes.length,
      numberMisscheduled: 0,
      observedGeneration: 1,
    },
  };
}

/** The PodDisruptionBudget Longhorn keeps per instance manager (drain must not take the last one). */
function instanceManagerPdb(name: string, node: string): KubeObject {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name, namespace: "longhorn-system" },
    spec: { minAvailable: 1, selector: { matchLabels: { "longhorn.io/component": "instance-manager", "longhorn.io/node": node } } },
  };
}

/**
 * The cluster as a healthy k3s + Flux + Longhorn installation leaves it: every object the
 * runbooks read, with statuses that agree with the nodes' real disks. Pure.
 */
export function seedObjects(input: SeedInput): KubeObject[] {
  const { names } = input;
  const nodeNames = new Map<string, NodeNames>();
  const instanceManagers = new Map<string, { name: string; uid: string }>();
  for (const node of input.model.nodes) {
    const im = { name: `instance-manager-${names.hex(32)}`, uid: names.uuid() };
    instanceManagers.set(node.name, im);
    nodeNames.set(node.name, { managerPod: `longhorn-manager-${names.suffix(5)}`, instanceManager: im.name });
  }
  const daemonSetUid = names.uuid();
  const imUids = new Map([...instanceManagers].map(([node, im]) => [node, im.uid]));
  return [
    ...coreObjects(input, nodeNames, { daemonSet: daemonSetUid, instanceManagers: imUids }),
    managerDaemonSet(input, daemonSetUid),
    ...[...instanceManagers].map(([node, im]) => instanceManagerPdb(im.name, node)),
    ...longhornSettings(input),
    engineImage(input),
    ...longhornNodeObjects(input, instanceManagers),
    ...longhornVolumeObjects(input),
    ...workloadObjects(input),
    ...input.fluxObjects.filter(isFluxObject).map((o) => withFluxStatus(o, input.commit, input.now)),
  ];
}
