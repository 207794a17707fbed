import { stringify } from "yaml";
import type { LabNode } from "../model/lab-model.js";

/** The Longhorn Node CR of a lab node as the operator keeps it in Git (infrastructure/<node>-node-config/<node>-node.yaml). */
export function nodeConfigPath(node: string): string {
  return `infrastructure/${node}-node-config/${node}-node.yaml`;
}

/** The Node CR's spec: one disk entry per lab disk, keyed by its partition name (sdf1) as the operator's were. */
export function nodeConfigSpec(node: LabNode): Record<string, unknown> {
  return {
    name: node.name,
    allowScheduling: true,
    evictionRequested: false,
    tags: [],
    disks: Object.fromEntries(
      node.disks.map((d) => [
        d.name,
        { path: d.mount, diskType: "filesystem", allowScheduling: true, evictionRequested: false, storageReserved: 0, tags: [] },
      ]),
    ),
  };
}

export function renderNodeConfig(node: LabNode): string {
  const cr = {
    apiVersion: "longhorn.io/v1beta2",
    kind: "Node",
    metadata: { name: node.name, namespace: "longhorn-system" },
    spec: nodeConfigSpec(node),
  };
  return `# Longhorn Node CR for ${node.name}, managed by Flux (declarative disk registration).\n${stringify(cr)}`;
}
