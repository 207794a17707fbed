import { randomUUID } from "node:crypto";
import { deepEqualJson } from "../json.js";
import { type ControllerLike, rfc3339, scaled, type Timing } from "../platform.js";
import { conditionStatus } from "./conditions.js";
import { collectDiskData, type DiskObservation } from "./disk-monitor.js";
import { syncDiskStatus } from "./disk-status.js";
import { shouldEvictReplica } from "./eviction.js";
import { finalizersAfterDeletion, syncNodeConditions } from "./node-conditions.js";
import { kubeNodes, kubeNodeView, LONGHORN_NS, longhornNodes, managerPods, replicas, setting } from "./objects.js";

/** How longhorn-manager on a node reads and writes that node's disks: the daemon's view through the node's namespace. */
export interface NodeDisks {
  observe(node: string, path: string): DiskObservation;
  /** Writes longhorn-disk.cfg (never over an existing one) and creates replicas/ beside it. */
  writeConfig(node: string, cfgPath: string, content: string): void;
  /** A replica's data folder (replicas/<dir>) made or removed on a disk, as the instance manager does. */
  replicaData(node: string, diskPath: string, dataDirectoryName: string, present: boolean): void;
}

/** longhorn-manager's DiskMonitorSyncPeriod: disk status follows the disks at this pace. */
export const DISK_MONITOR_PERIOD_MS = 30_000;

/**
 * longhorn-manager's node controller on the emulator's work queue, per Longhorn Node: the
 * finalizer goes at once when the CR is deleted; conditions follow the Kubernetes node and the
 * manager pod; where the node's manager runs, the disk monitor reads the real disks (writing a
 * missing longhorn-disk.cfg), disk status follows, replicas on evicted disks are marked for
 * eviction. Runbook steps: longhorn-node's evict, remove-node and node-ready. `stuck.finalizers`
 * names nodes whose finalizer the finalizer-returns fault keeps.
 */
export function longhornNodeController(
  disks: NodeDisks,
  timing: Timing,
  stuck: { finalizers: ReadonlySet<string> } = { finalizers: new Set() },
): ControllerLike {
  return {
    name: "longhorn-manager",
    keysFor(change) {
      const { group, resource } = change.resource;
      const o = change.object;
      if (group === "longhorn.io" && resource === "nodes") return [o.metadata.name ?? ""];
      if (group === "" && resource === "nodes") return [o.metadata.name ?? ""];
      if (group === "" && resource === "pods" && o.metadata.labels?.app === "longhorn-manager")
        return [((o.spec ?? {}) as { nodeName?: string }).nodeName ?? ""];
      if (group === "longhorn.io" && resource === "replicas") return [((o.spec ?? {}) as { nodeID?: string }).nodeID ?? ""].filter(Boolean);
      return [];
    },
    initialKeys: (client) =>
      longhornNodes(client)
        .list(LONGHORN_NS)
        .map((n) => n.metadata.name),
    reconcile(name, { client, queue, scheduler }) {
      const nodes = longhornNodes(client);
      const node = nodes.tryGet(name, LONGHORN_NS);
      if (!node) return;
      const finalizers = finalizersAfterDeletion(node);
      // The finalizer-returns fault: this node's deletion hangs on its finalizer (#1042, #4192).
      if (finalizers && !stuck.finalizers.has(name)) {
        nodes.patch(name, LONGHORN_NS, { metadata: { finalizers } });
        return;
      }
      if (node.metadata.deletionTimestamp) return;
      const now = scheduler.now();
      const pods = managerPods(client);
      const conditions = syncNodeConditions({
        node,
        kubeNode: kubeNodeView(kubeNodes(client).tryGet(name)),
        managerPods: pods,
        now: rfc3339(now),
        nowMs: now.getTime(),
      });
      let status = { ...(node.status ?? {}), conditions: conditions.conditions, diskStatus: conditions.diskStatus };
      const managed = pods.some((p) => p.nodeName === name && p.phase === "Running");
      if (managed && conditionStatus(conditions.conditions, "Ready") === "True") {
        const { collected, writes } = collectDiskData(node, (path) => disks.observe(name, path), randomUUID);
        for (const w of writes) disks.writeConfig(name, w.path, w.content);
        const all = replicas(client).list(LONGHORN_NS);
        const settings = {
          minimalAvailablePercentage: Number(setting(client, "storage-minimal-available-percentage", "25")),
          overProvisioningPercentage: Number(setting(client, "storage-over-provisioning-percentage", "100")),
        };
        const synced = syncDiskStatus({ node: { ...node, status }, collected, replicas: all, settings, now: rfc3339(now) });
        status = { ...status, diskStatus: synced.diskStatus };
        for (const move of synced.replicaMoves)
          replicas(client).patch(move.name, LONGHORN_NS, { spec: { nodeID: move.nodeID, diskPath: move.diskPath } });
        const drainPolicy = setting(client, "node-drain-policy", "block-if-contains-last-replica");
        const kube = kubeNodeView(kubeNodes(client).tryGet(name));
        const kubeReady = kube?.conditions.some((c) => c.type === "Ready" && c.status === "True") ?? false;
        for (const [disk, diskStatus] of Object.entries(synced.diskStatus)) {
          const evict = shouldEvictReplica(
            node,
            disk,
            kube ? { ready: kubeReady, unschedulable: kube.unschedulable } : undefined,
            drainPolicy,
          );
          for (const replicaName of Object.keys(diskStatus.scheduledReplica)) {
            const replica = replicas(client).tryGet(replicaName, LONGHORN_NS);
            if (replica && (replica.spec.evictionRequested === true) !== evict)
              replicas(client).patch(replicaName, LONGHORN_NS, { spec: { evictionRequested: evict } });
          }
        }
      }
      if (!deepEqualJson(status, node.status ?? {})) nodes.updateStatus({ ...node, status });
      queue.addAfter(name, scaled(timing, DISK_MONITOR_PERIOD_MS));
    },
  };
}
