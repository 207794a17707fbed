import { dirname, resolve } from "node:path";
import type { LoadedInventory } from "../inventory/load.js";
import type { TransportTarget } from "../transports/target.js";
import { own } from "../util/own.js";

/**
 * A target completed from the inventory where the runbook leaves out how to reach it: an ssh
 * target whose host is a node's `ssh.host` gets that node's user and port, a kubectl target the
 * cluster's context and kubeconfig. The planner and `recover check` both build targets here, so
 * the check reaches exactly what a run will. What the runbook says itself always wins.
 */
export function withInventory(target: TransportTarget, loaded: LoadedInventory | undefined): TransportTarget {
  if (!loaded) return target;
  const { inventory } = loaded;
  if (target.kind === "ssh") {
    const nodes = Object.values(inventory.nodes).filter((n) => n.ssh.host === target.host);
    const ssh = nodes.length === 1 ? nodes[0]?.ssh : undefined;
    if (!ssh) return target;
    return {
      ...target,
      ...(target.user === undefined && ssh.user !== undefined ? { user: ssh.user } : {}),
      ...(target.port === undefined && ssh.port !== undefined ? { port: ssh.port } : {}),
    };
  }
  if (target.kind === "kubectl") {
    const { context, kubeconfig } = inventory.cluster;
    return {
      ...target,
      ...(target.context === undefined && context !== undefined ? { context } : {}),
      // Relative to the inventory file, as every path the inventory holds; absolute so the run's cwd does not matter.
      ...(target.kubeconfig === undefined && kubeconfig !== undefined ? { kubeconfig: resolve(dirname(loaded.file), kubeconfig) } : {}),
    };
  }
  return target;
}

/** The targets `recover check` reaches for the inventory's nodes (as `become: sudo` steps do) and its cluster. */
export function inventoryTargets(
  loaded: LoadedInventory,
  nodes: readonly string[],
): { nodes: Map<string, TransportTarget>; cluster: TransportTarget } {
  const targets = new Map<string, TransportTarget>();
  for (const name of nodes) {
    const host = own(loaded.inventory.nodes, name)?.ssh.host ?? name;
    targets.set(name, withInventory({ kind: "ssh", host, become: "sudo" }, loaded));
  }
  return { nodes: targets, cluster: withInventory({ kind: "kubectl" }, loaded) };
}
