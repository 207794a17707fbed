import { parse, stringify } from "yaml";
import type { LabModel } from "../model/lab-model.js";
import { nodeConfigPath } from "./node-config.js";

/** The kube context of every lab's kubeconfig (and of its inventory). */
export const LAB_CONTEXT = "lab";

/** Node labels Longhorn needs, as on the operator's k3s1. */
export const LAB_NODE_LABELS = { "node.longhorn.io/create-default-disk": "config", storage: "longhorn" } as const;

/**
 * recover/inventory.yaml for the lab: the fixture's Flux objects and GitOps settings, the lab's
 * nodes (ssh aliases of DIR/ssh/config) and disks by by-id name and size; no serials (loop
 * devices have none, so a serial check could only fail).
 */
export function renderLabInventory(model: LabModel, fixtureInventory: string): string {
  const fixture = parse(fixtureInventory) as Record<string, unknown>;
  const inventory = {
    apiVersion: fixture.apiVersion,
    kind: fixture.kind,
    cluster: { name: "k3s-flux-lab", context: LAB_CONTEXT },
    gitops: fixture.gitops,
    nodes: Object.fromEntries(
      model.nodes.map((node) => [
        node.name,
        {
          ssh: { host: node.name },
          labels: { ...LAB_NODE_LABELS },
          longhorn: { nodeConfig: nodeConfigPath(node.name) },
          disks: node.disks.map((d) => ({
            name: d.name,
            device: d.byId,
            size: d.sizeBytes,
            partition: 1,
            mount: d.mount,
            filesystem: "ext4",
          })),
        },
      ]),
    ),
    flux: fixture.flux,
  };
  return [
    "# What recover knows about this lab cluster, written by `recover lab up`. Loop devices have",
    "# no serial: each disk is known by its by-id name and its size, which differs for every disk.",
    stringify(inventory),
  ].join("\n");
}
