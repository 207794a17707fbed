import type { KubeObject } from "../../kube-api/index.js";
import { csiAttachmentName } from "../../objects/csi-names.js";
import { csiVolumeAttachment } from "../../objects/workload-pod.js";
import { LONGHORN_NS, replicas, volumes } from "../longhorn/objects.js";
import type { KubeClientLike } from "../platform.js";

const engines = (client: KubeClientLike) => client.resource("longhorn.io/v1beta2", "Engine");
const lhvas = (client: KubeClientLike) => client.resource("longhorn.io/v1beta2", "VolumeAttachment");
const csiVas = (client: KubeClientLike) => client.resource("storage.k8s.io/v1", "VolumeAttachment");

/** A replica that failed (its disk did, #6790's empty diskID) stays down whatever the volume does. */
const replicaFailed = (r: KubeObject): boolean =>
  Boolean((r.spec as { failedAt?: string }).failedAt) || (r.status as { currentState?: string } | undefined)?.currentState === "error";

/** The volume's engine and replicas follow it to `node` (running) or stop (node ""). */
function moveInstances(client: KubeClientLike, volume: string, node: string): void {
  const state = node ? "running" : "stopped";
  for (const e of engines(client).list(LONGHORN_NS, { labelSelector: `longhornvolume=${volume}` })) {
    const labels = { ...(e.metadata.labels ?? {}) };
    if (node) labels.longhornnode = node;
    else delete labels.longhornnode;
    const moved = engines(client).update({
      ...e,
      metadata: { ...e.metadata, labels },
      spec: { ...(e.spec ?? {}), nodeID: node, desireState: state },
    });
    engines(client).updateStatus({ ...moved, status: { ...(moved.status ?? {}), currentState: state } });
  }
  for (const r of replicas(client).list(LONGHORN_NS, { labelSelector: `longhornvolume=${volume}` })) {
    if (replicaFailed(r)) continue;
    const moved = replicas(client).update({ ...r, spec: { ...r.spec, desireState: state } });
    replicas(client).updateStatus({ ...moved, status: { ...(moved.status ?? {}), currentState: state } });
  }
}

/**
 * The CSI attach of a Longhorn volume to the node its pod runs on, as the external-attacher and
 * longhorn-manager leave it: CSI VolumeAttachment, Longhorn attachment ticket, Volume attached
 * there, engine and healthy replicas running (longhorn-node preflight, stuck-volume-attachment,
 * the drain drill meet these).
 */
export function attachVolume(client: KubeClientLike, volume: string, node: string, now: string): void {
  const name = csiAttachmentName(volume, node);
  if (!csiVas(client).tryGet(name)) csiVas(client).create(csiVolumeAttachment(volume, node, now));
  const lhva = lhvas(client).tryGet(volume, LONGHORN_NS);
  if (lhva)
    lhvas(client).update({
      ...lhva,
      spec: {
        ...(lhva.spec ?? {}),
        attachmentTickets: {
          [name]: { id: name, type: "csi-attacher", nodeID: node, parameters: { disableFrontend: "false" }, generation: 0 },
        },
      },
    });
  const v = volumes(client).tryGet(volume, LONGHORN_NS);
  if (!v) return;
  const status = (v.status ?? {}) as { robustness?: string };
  const updated = volumes(client).update({ ...v, spec: { ...(v.spec ?? {}), nodeID: node } });
  volumes(client).updateStatus({
    ...updated,
    status: { ...status, state: "attached", currentNodeID: node, robustness: status.robustness === "degraded" ? "degraded" : "healthy" },
  });
  moveInstances(client, volume, node);
}

/** The detach when the volume's pod is gone: the CSI VolumeAttachment and ticket go, the volume, engine and replicas stop. */
export function detachVolume(client: KubeClientLike, volume: string): void {
  const current = volumes(client).tryGet(volume, LONGHORN_NS);
  const attachedVas = csiVas(client)
    .list()
    .filter((va) => (va.spec as { source?: { persistentVolumeName?: string } }).source?.persistentVolumeName === volume);
  if (attachedVas.length === 0 && (current?.status as { state?: string } | undefined)?.state !== "attached") return;
  for (const va of attachedVas) {
    csiVas(client).patch(va.metadata.name as string, undefined, { metadata: { finalizers: [] } });
    if (csiVas(client).tryGet(va.metadata.name as string)) csiVas(client).delete(va.metadata.name as string);
  }
  const lhva = lhvas(client).tryGet(volume, LONGHORN_NS);
  if (lhva) lhvas(client).update({ ...lhva, spec: { ...(lhva.spec ?? {}), attachmentTickets: {} } });
  const v = volumes(client).tryGet(volume, LONGHORN_NS);
  if (!v) return;
  const updated = volumes(client).update({ ...v, spec: { ...(v.spec ?? {}), nodeID: "" } });
  volumes(client).updateStatus({
    ...updated,
    status: { ...(updated.status ?? {}), state: "detached", currentNodeID: "", robustness: "unknown" },
  });
  moveInstances(client, volume, "");
}
