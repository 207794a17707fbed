import type { KubeObject } from "../kube-api/index.js";

// biome-ignore lint/suspicious/noExplicitAny: objects from the store, read loosely
type Json = Record<string, any>;

const conditionOf = (o: KubeObject, type: string): string => {
  const found = ((o.status as Json | undefined)?.conditions as Json[] | undefined)?.find((c) => c.type === type);
  return found ? String(found.status) : "-";
};

/** The Longhorn and Flux state `lab status` shows, one line per object. */
export interface ClusterSummary {
  nodes: string[];
  longhornNodes: string[];
  volumes: string[];
  flux: string[];
}

/** One line per object, from what the emulator stores. Pure. */
export function summarize(objects: {
  nodes: KubeObject[];
  longhornNodes: KubeObject[];
  volumes: KubeObject[];
  flux: KubeObject[];
}): ClusterSummary {
  return {
    nodes: objects.nodes.map((n) => `${n.metadata.name} Ready=${conditionOf(n, "Ready")}`),
    longhornNodes: objects.longhornNodes.map((n) => {
      const spec = (n.spec ?? {}) as Json;
      const disks = Object.entries(((n.status as Json | undefined)?.diskStatus ?? {}) as Json)
        .map(
          ([key, d]) =>
            `${key}:${(d.conditions as Json[] | undefined)?.find((c) => c.type === "Ready")?.status ?? "-"}:${d.diskUUID ? String(d.diskUUID).slice(0, 8) : "(no uuid)"}`,
        )
        .join(" ");
      const deleting = n.metadata.deletionTimestamp ? " (deleting)" : "";
      return `${n.metadata.name}${deleting} Ready=${conditionOf(n, "Ready")} Schedulable=${conditionOf(n, "Schedulable")} allowScheduling=${spec.allowScheduling} disks: ${disks || "none"}`;
    }),
    volumes: objects.volumes.map((v) => {
      const status = (v.status ?? {}) as Json;
      return `${v.metadata.name} ${status.state ?? "-"} ${status.robustness ?? "-"}${status.currentNodeID ? ` on ${status.currentNodeID}` : ""}`;
    }),
    flux: objects.flux.map((f) => {
      const spec = (f.spec ?? {}) as Json;
      return `${f.kind} ${f.metadata.namespace}/${f.metadata.name} Ready=${conditionOf(f, "Ready")}${spec.suspend ? " suspended" : ""}`;
    }),
  };
}
