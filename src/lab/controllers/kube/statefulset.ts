import { nodeIsReady } from "../../kube-api/controllers/kubelet.js";
import type { KubeObject } from "../../kube-api/index.js";
import { workloadPod } from "../../objects/workload-pod.js";
import { kubeNodes, pods } from "../longhorn/objects.js";
import { type ControllerLike, type KubeClientLike, rfc3339 } from "../platform.js";
import { attachVolume, detachVolume } from "./volume-attach.js";

interface SetSpec {
  replicas?: number;
  template: { spec?: { nodeSelector?: Record<string, string>; volumes?: { persistentVolumeClaim?: { claimName?: string } }[] } };
}

const key = (o: KubeObject): string => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
const ownerSet = (pod: KubeObject): string | undefined =>
  (pod.metadata.ownerReferences as { kind?: string; name?: string }[] | undefined)?.find((r) => r.kind === "StatefulSet")?.name;

/** The Longhorn volumes (PV names) behind the set's claims. */
function claimedVolumes(client: KubeClientLike, namespace: string, spec: SetSpec): string[] {
  const claims = (spec.template.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((c): c is string => Boolean(c));
  return claims
    .map(
      (c) => (client.resource("v1", "PersistentVolumeClaim").tryGet(c, namespace)?.spec as { volumeName?: string } | undefined)?.volumeName,
    )
    .filter((v): v is string => Boolean(v));
}

/**
 * The scheduler's pick, as far as the lab needs it: a Ready, uncordoned node matching the pod's
 * nodeSelector (the `workload-on` fault pins it by hostname); the last such node by name, where
 * the seed puts the workload (away from k3s1). Undefined: the pod would stay Pending.
 */
export function pickNode(nodes: readonly KubeObject[], selector: Record<string, string> = {}): KubeObject | undefined {
  const fits = nodes.filter(
    (n) =>
      nodeIsReady(n) &&
      !(n.spec as { unschedulable?: boolean } | undefined)?.unschedulable &&
      Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v),
  );
  return fits.sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name))).at(-1);
}

/**
 * A one-replica StatefulSet controller with the CSI attach and detach it causes: a missing pod is
 * created on the node pickNode chooses and its Longhorn volume attached there; with replicas 0
 * the pod is deleted and, once gone, the volume detached. Drain drill: the pod a PDB protects,
 * that moves once it may; workload-on fault: the pod on a chosen node.
 */
export const statefulSetController: ControllerLike = {
  name: "statefulset-controller",
  keysFor(change, client) {
    const { group, resource } = change.resource;
    if (group === "apps" && resource === "statefulsets") return [key(change.object)];
    if (group === "" && resource === "pods") {
      const set = ownerSet(change.object);
      return set ? [`${change.object.metadata.namespace}/${set}`] : [];
    }
    if (group === "" && resource === "nodes")
      return client
        .resource("apps/v1", "StatefulSet")
        .list()
        .map((s) => key(s));
    return [];
  },
  initialKeys: (client) =>
    client
      .resource("apps/v1", "StatefulSet")
      .list()
      .map((s) => key(s)),
  reconcile(setKey, { client, scheduler }) {
    const [namespace, name] = setKey.split("/") as [string, string];
    const set = client.resource("apps/v1", "StatefulSet").tryGet(name, namespace);
    if (!set) return;
    const spec = set.spec as unknown as SetSpec;
    const desired = spec.replicas ?? 1;
    const pod = pods(client).tryGet(`${name}-0`, namespace);
    const volumesOfSet = claimedVolumes(client, namespace, spec);
    const now = rfc3339(scheduler.now());
    if (pod) {
      if (desired === 0 && !pod.metadata.deletionTimestamp) pods(client).delete(`${name}-0`, namespace);
      return;
    }
    const ready = (n: number) => ({ replicas: n, readyReplicas: n, currentReplicas: n, updatedReplicas: n, availableReplicas: n });
    if (desired === 0) {
      for (const v of volumesOfSet) detachVolume(client, v);
      client
        .resource("apps/v1", "StatefulSet")
        .updateStatus({ ...set, status: { ...ready(0), observedGeneration: set.metadata.generation } });
      return;
    }
    const node = pickNode(kubeNodes(client).list(), spec.template.spec?.nodeSelector);
    // The old node's attachment goes before the new one is made (RWO): the detach the real attacher does.
    for (const v of volumesOfSet) detachVolume(client, v);
    if (!node) return;
    const address =
      (node.status as { addresses?: { type: string; address: string }[] }).addresses?.find((a) => a.type === "InternalIP")?.address ?? "";
    const created = pods(client).create(
      workloadPod(
        { name, namespace, uid: set.metadata.uid as string, template: spec.template as Record<string, unknown> },
        { name: node.metadata.name as string, address },
        now,
      ),
    );
    pods(client).updateStatus({
      ...created,
      status: workloadPod({ name, namespace, uid: "", template: {} }, { name: node.metadata.name as string, address }, now).status,
    });
    for (const v of volumesOfSet) attachVolume(client, v, node.metadata.name as string, now);
    client
      .resource("apps/v1", "StatefulSet")
      .updateStatus({ ...set, status: { ...ready(1), observedGeneration: set.metadata.generation } });
  },
};
