import type { KubeObject } from "../../kube-api/index.js";
import type { KubeClientLike } from "../platform.js";
import type { ManagerPodView } from "./node-conditions.js";
import type { LonghornNode, Replica } from "./types.js";

export const LONGHORN_NS = "longhorn-system";

export const longhornNodes = (client: KubeClientLike) => client.resource<LonghornNode & KubeObject>("longhorn.io/v1beta2", "Node");
export const replicas = (client: KubeClientLike) => client.resource<Replica & KubeObject>("longhorn.io/v1beta2", "Replica");
export const volumes = (client: KubeClientLike) => client.resource("longhorn.io/v1beta2", "Volume");
export const kubeNodes = (client: KubeClientLike) => client.resource("v1", "Node");
export const pods = (client: KubeClientLike) => client.resource("v1", "Pod");

/** A Setting's value (`value` at the top level of a Longhorn Setting), or `fallback`. */
export function setting(client: KubeClientLike, name: string, fallback: string): string {
  const found = client.resource("longhorn.io/v1beta2", "Setting").tryGet(name, LONGHORN_NS);
  return typeof found?.value === "string" ? found.value : fallback;
}

/** The longhorn-manager pods, as the node controller lists them (ListManagerPodsRO). */
export function managerPods(client: KubeClientLike): ManagerPodView[] {
  return pods(client)
    .list(LONGHORN_NS, { labelSelector: "app=longhorn-manager" })
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => {
      const status = (p.status ?? {}) as { phase?: string; conditions?: { type: string; status: string }[] };
      return {
        name: p.metadata.name ?? "",
        nodeName: ((p.spec ?? {}) as { nodeName?: string }).nodeName ?? "",
        phase: status.phase ?? "",
        ready: status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
      };
    });
}

/** Names of the node's longhorn-manager pods. */
export function managerPodsOf(client: KubeClientLike, node: string): string[] {
  return pods(client)
    .list(LONGHORN_NS, { labelSelector: "app=longhorn-manager", fieldSelector: `spec.nodeName=${node}` })
    .map((p) => p.metadata.name ?? "");
}

/** Kubernetes Node conditions and cordon, as the node controller reads them. */
export function kubeNodeView(node: KubeObject | undefined) {
  if (!node) return undefined;
  const status = (node.status ?? {}) as {
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  };
  return { conditions: status.conditions ?? [], unschedulable: ((node.spec ?? {}) as { unschedulable?: boolean }).unschedulable === true };
}
