/**
 * The part of the kubelet a recovery meets: a pod being deleted gracefully goes away only when the
 * kubelet of its node, which must be Ready, has stopped it (here: when its grace period has run
 * out) and deletes it with grace period 0. On a NotReady node the pod stays Terminating until the
 * node comes back or someone runs `kubectl delete --grace-period=0 --force` (runbook step: force-delete
 * the pods stuck on the failed node).
 */
import type { KubeClient } from "../api/client.js";
import type { StoreChange } from "../store/store.js";
import type { KubeObject } from "../types.js";
import type { Controller } from "./controller.js";

const podKey = (pod: KubeObject): string => `${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""}`;
const nodeNameOf = (pod: KubeObject): string | undefined => (pod.spec as { nodeName?: string } | undefined)?.nodeName || undefined;
const terminating = (pod: KubeObject): boolean =>
  pod.metadata.deletionTimestamp !== undefined && (pod.metadata.deletionGracePeriodSeconds ?? 0) > 0;

/** A node's kubelet is up when the node reports Ready=True (the node lifecycle controller's view). */
export function nodeIsReady(node: KubeObject | undefined): boolean {
  const conditions = (node?.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

function terminatingPodsOn(client: KubeClient, node: string): string[] {
  return client
    .resource("v1", "Pod")
    .list(undefined, { fieldSelector: `spec.nodeName=${node}` })
    .filter(terminating)
    .map(podKey);
}

export const kubelet: Controller = {
  name: "kubelet",
  keysFor(change: StoreChange, client: KubeClient): string[] {
    if (change.resource.group !== "") return [];
    if (change.resource.resource === "pods") return change.type !== "DELETED" && terminating(change.object) ? [podKey(change.object)] : [];
    if (change.resource.resource !== "nodes" || change.type === "DELETED") return [];
    // A node that comes back finishes what its kubelet could not while it was down.
    if (nodeIsReady(change.object) && !nodeIsReady(change.old)) return terminatingPodsOn(client, change.object.metadata.name ?? "");
    return [];
  },
  initialKeys: (client) => client.resource("v1", "Pod").list().filter(terminating).map(podKey),
  reconcile(key, { client, queue, scheduler }) {
    const [namespace, name] = key.split("/") as [string, string];
    const pods = client.resource("v1", "Pod");
    const pod = pods.tryGet(name, namespace);
    if (!pod || !terminating(pod)) return;
    const node = nodeNameOf(pod);
    if (!node || !nodeIsReady(client.resource("v1", "Node").tryGet(node))) return;
    const due = Date.parse(pod.metadata.deletionTimestamp as string) - scheduler.now().getTime();
    if (due > 0) {
      queue.addAfter(key, due);
      return;
    }
    pods.delete(name, namespace, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid as string } });
  },
};
