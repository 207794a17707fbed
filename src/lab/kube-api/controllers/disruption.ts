/**
 * The disruption controller: keeps each PodDisruptionBudget's status (healthy pods, disruptions
 * allowed) in step with its pods, so evictions are judged as on a real cluster and `kubectl get
 * pdb` shows ALLOWED DISRUPTIONS (drill: drain with Longhorn's instance-manager PDBs).
 */
import type { KubeClient } from "../api/client.js";
import { type PdbStatus, pdbSelects, pdbStatusFor } from "../api/disruption.js";
import { deepEqual } from "../patch/json-value.js";
import type { StoreChange } from "../store/store.js";
import type { KubeObject } from "../types.js";
import type { Controller } from "./controller.js";

const key = (o: KubeObject): string => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
const pdbs = (client: KubeClient) => client.resource("policy/v1", "PodDisruptionBudget");

export const disruptionController: Controller = {
  name: "disruption-controller",
  keysFor(change: StoreChange, client: KubeClient): string[] {
    const { group, resource } = change.resource;
    if (group === "policy" && resource === "poddisruptionbudgets") return change.type === "DELETED" ? [] : [key(change.object)];
    if (group !== "" || resource !== "pods") return [];
    const namespace = change.object.metadata.namespace;
    return pdbs(client)
      .list(namespace)
      .filter((pdb) => pdbSelects(pdb, change.object) || (change.old !== undefined && pdbSelects(pdb, change.old)))
      .map(key);
  },
  initialKeys: (client) => pdbs(client).list().map(key),
  reconcile(pdbKey, { client }) {
    const [namespace, name] = pdbKey.split("/") as [string, string];
    const pdb = pdbs(client).tryGet(name, namespace);
    if (!pdb) return;
    const current = (pdb.status ?? {}) as PdbStatus & { conditions?: unknown };
    const computed = pdbStatusFor(pdb, client.resource("v1", "Pod").list(namespace), current.disruptedPods);
    const { conditions: _conditions, ...comparable } = current;
    if (deepEqual(comparable, computed)) return;
    pdbs(client).updateStatus({ ...pdb, status: computed });
  },
};
