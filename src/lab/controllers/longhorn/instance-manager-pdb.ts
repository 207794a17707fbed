import type { KubeObject } from "../../kube-api/index.js";
import type { ControllerLike } from "../platform.js";
import { kubeNodes, LONGHORN_NS, pods, replicas } from "./objects.js";

interface Instance {
  node: string;
  volume: string;
  running: boolean;
}

const instanceOf = (o: KubeObject): Instance => ({
  node: (o.spec as { nodeID?: string }).nodeID ?? "",
  volume: (o.spec as { volumeName?: string }).volumeName ?? "",
  running: (o.status as { currentState?: string } | undefined)?.currentState === "running",
});

/**
 * InstanceManagerController.canDeleteInstanceManagerPDB under node-drain-policy
 * block-if-contains-last-replica, pure: nothing running on the node's instance manager, or the
 * node cordoned with no engine running there and no running replica there that is its volume's
 * last running one. Drain drill: `kubectl drain` waits on this PDB until the workload is gone.
 */
export function canDeleteInstanceManagerPdb(node: string, cordoned: boolean, engines: Instance[], replicaList: Instance[]): boolean {
  const runningHere = [...engines, ...replicaList].filter((i) => i.node === node && i.running);
  if (runningHere.length === 0) return true;
  if (!cordoned) return false;
  if (engines.some((e) => e.node === node && e.running)) return false;
  return replicaList
    .filter((r) => r.node === node && r.running)
    .every((r) => replicaList.some((o) => o.volume === r.volume && o.node !== node && o.running));
}

/**
 * Keeps each node's instance-manager PodDisruptionBudget (minAvailable 1 over the node's
 * instance-manager pod) as longhorn-manager does: deleted once canDeleteInstanceManagerPdb, made
 * again when it is not.
 */
export const instanceManagerPdbController: ControllerLike = {
  name: "longhorn-instance-manager-pdb",
  keysFor(change, client) {
    const { group, resource } = change.resource;
    const all = () =>
      kubeNodes(client)
        .list()
        .map((n) => n.metadata.name ?? "");
    if (group === "longhorn.io" && (resource === "engines" || resource === "replicas")) return all();
    if (group === "" && resource === "nodes") return [change.object.metadata.name ?? ""];
    if (group === "policy" && resource === "poddisruptionbudgets" && change.object.metadata.namespace === LONGHORN_NS) return all();
    return [];
  },
  initialKeys: (client) =>
    kubeNodes(client)
      .list()
      .map((n) => n.metadata.name ?? ""),
  reconcile(node, { client }) {
    const im = pods(client).list(LONGHORN_NS, { labelSelector: `longhorn.io/component=instance-manager,longhorn.io/node=${node}` })[0];
    if (!im) return;
    const pdbs = client.resource("policy/v1", "PodDisruptionBudget");
    const name = im.metadata.name as string;
    const existing = pdbs.tryGet(name, LONGHORN_NS);
    const cordoned = (kubeNodes(client).tryGet(node)?.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
    const engines = client.resource("longhorn.io/v1beta2", "Engine").list(LONGHORN_NS).map(instanceOf);
    const deletable = canDeleteInstanceManagerPdb(node, cordoned, engines, replicas(client).list(LONGHORN_NS).map(instanceOf));
    if (deletable && existing) pdbs.delete(name, LONGHORN_NS);
    if (!deletable && !existing)
      pdbs.create({
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name, namespace: LONGHORN_NS },
        spec: { minAvailable: 1, selector: { matchLabels: { "longhorn.io/component": "instance-manager", "longhorn.io/node": node } } },
      });
  },
};
