import { randomBytes } from "node:crypto";
import type { KubeObject } from "../../kube-api/index.js";
import { type ControllerLike, type KubeClientLike, type ReconcileContextLike, rfc3339, scaled, type Timing } from "../platform.js";
import { setCondition } from "./conditions.js";
import { replicaStartError, scheduleReplica } from "./eviction.js";
import type { NodeDisks } from "./node-controller.js";
import { LONGHORN_NS, longhornNodes, replicas, setting, volumes } from "./objects.js";
import { replicaFailed, replicasOnFailedDisks, replicasToAdd, robustnessOf } from "./replenish.js";
import type { Condition, Replica } from "./types.js";

/** How long rebuilding an evicted replica's data on its new disk takes (small lab volumes: seconds). */
export const REBUILD_MS = 10_000;

const hex = (n: number): string => randomBytes(n).toString("hex").slice(0, n);
type ReplicaObject = Replica & KubeObject;

/**
 * longhorn-manager's volume controller, the part eviction needs, per volume: a replica marked
 * for eviction gets a new one on the disk the scheduler picks (scheduleReplica), rebuilt after
 * REBUILD_MS, then the old one and its data folder go; when no disk can take it the volume's
 * Scheduled condition says why and the replica stays. A replica that cannot start (empty
 * diskID, #6790) is in state error with Longhorn's message. Runbook step: longhorn-node's
 * request-eviction verify ("no replica is left on the node").
 */
/** The replica scheduler's settings as the lab's Settings say. */
const schedulingSettings = (client: KubeClientLike) => ({
  minimalAvailablePercentage: Number(setting(client, "storage-minimal-available-percentage", "25")),
  overProvisioningPercentage: Number(setting(client, "storage-over-provisioning-percentage", "100")),
  softAntiAffinity: setting(client, "replica-soft-anti-affinity", "false") === "true",
});

export function longhornVolumeController(disks: NodeDisks, timing: Timing): ControllerLike {
  /** Old replica → its replacement and when that one is rebuilt. */
  const rebuilding = new Map<string, { replacement: string; doneAt: number }>();
  /** A replacement for a failed replica → when its rebuild is done. */
  const replenishing = new Map<string, number>();
  /**
   * A disk failing under replicas (replicasOnFailedDisks): they get failedAt and stop; an attached
   * volume is degraded and gets replacements on the disks the scheduler picks (replenishReplicas),
   * running after REBUILD_MS; once healthy, the failed replicas go (their disk cannot take them
   * back). Without a disk the Scheduled condition says why and the volume stays degraded (one
   * node, hard anti-affinity). Drill: a disk failing before longhorn-node's evict stage.
   */
  function replenish(
    name: string,
    volume: KubeObject,
    { client, queue, scheduler }: Pick<ReconcileContextLike, "client" | "queue" | "scheduler">,
  ): { status: "False"; reason: string; message: string } | undefined {
    const nowMs = scheduler.now().getTime();
    const now = rfc3339(scheduler.now());
    const list = () => replicas(client).list(LONGHORN_NS, { labelSelector: `longhornvolume=${name}` }) as ReplicaObject[];
    for (const r of replicasOnFailedDisks(list(), longhornNodes(client).list(LONGHORN_NS)) as ReplicaObject[]) {
      const failed = replicas(client).update({ ...r, spec: { ...r.spec, failedAt: now, desireState: "stopped" } });
      replicas(client).updateStatus({ ...failed, status: { ...(failed.status ?? {}), currentState: "stopped" } });
    }
    if ((volume.status as { state?: string } | undefined)?.state !== "attached") return undefined;
    for (const [replica, doneAt] of replenishing) {
      const r = replicas(client).tryGet(replica, LONGHORN_NS) as ReplicaObject | undefined;
      if (!r || r.spec.volumeName !== name) continue;
      if (nowMs < doneAt) continue;
      replenishing.delete(replica);
      if (!replicaFailed(r)) replicas(client).updateStatus({ ...r, status: { ...(r.status ?? {}), currentState: "running" } });
    }
    const own = list();
    const wanted = Number((volume.spec as { numberOfReplicas?: number }).numberOfReplicas ?? own.length);
    const template = own[0];
    let failure: { status: "False"; reason: string; message: string } | undefined;
    for (let i = 0; template && i < replicasToAdd(wanted, own); i++) {
      const candidate = { ...template, metadata: { ...template.metadata, name: `${name}-r-${hex(8)}` } } as ReplicaObject;
      const target = scheduleReplica(candidate, list(), longhornNodes(client).list(LONGHORN_NS), schedulingSettings(client));
      if (typeof target === "string") {
        failure = { status: "False", reason: "ReplicaSchedulingFailure", message: target };
        queue.addAfter(name, scaled(timing, REBUILD_MS));
        break;
      }
      const dataDirectoryName = `${name}-${hex(8)}`;
      const { failedAt: _, ...spec } = template.spec;
      replicas(client).create({
        apiVersion: "longhorn.io/v1beta2",
        kind: "Replica",
        metadata: {
          name: candidate.metadata.name,
          namespace: LONGHORN_NS,
          finalizers: ["longhorn.io"],
          labels: { longhornnode: target.node, longhorndiskuuid: target.diskUUID, longhornvolume: name },
        },
        spec: {
          ...spec,
          nodeID: target.node,
          diskID: target.diskUUID,
          diskPath: target.diskPath,
          dataDirectoryName,
          evictionRequested: false,
          desireState: "running",
        },
        status: { currentState: "starting" },
      } as ReplicaObject);
      disks.replicaData(target.node, target.diskPath, dataDirectoryName, true);
      replenishing.set(candidate.metadata.name, nowMs + scaled(timing, REBUILD_MS));
      queue.addAfter(name, scaled(timing, REBUILD_MS));
    }
    const after = list();
    if (robustnessOf(wanted, after) === "healthy")
      for (const r of after.filter((r) => r.spec.failedAt && !r.metadata.deletionTimestamp)) {
        replicas(client).patch(r.metadata.name, LONGHORN_NS, { metadata: { finalizers: [] } });
        replicas(client).delete(r.metadata.name, LONGHORN_NS);
      }
    return failure;
  }

  return {
    name: "longhorn-volume-controller",
    keysFor(change, client) {
      const { group, resource } = change.resource;
      if (group !== "longhorn.io") return [];
      // A disk's status changing (failing) concerns the volumes with replicas there (replenish).
      if (resource === "nodes")
        return [
          ...new Set(
            replicas(client)
              .list(LONGHORN_NS, { labelSelector: `longhornnode=${change.object.metadata.name ?? ""}` })
              .map((r) => r.spec.volumeName),
          ),
        ];
      if (resource === "replicas") return [((change.object.spec ?? {}) as { volumeName?: string }).volumeName ?? ""].filter(Boolean);
      if (resource === "volumes") return [change.object.metadata.name ?? ""];
      return [];
    },
    initialKeys: (client) =>
      volumes(client)
        .list(LONGHORN_NS)
        .map((v) => v.metadata.name ?? ""),
    reconcile(name, { client, queue, scheduler }) {
      const volume = volumes(client).tryGet(name, LONGHORN_NS);
      if (!volume) return;
      const nowMs = scheduler.now().getTime();
      const now = rfc3339(scheduler.now());
      const own = replicas(client).list(LONGHORN_NS, { labelSelector: `longhornvolume=${name}` }) as ReplicaObject[];
      let scheduled: { status: "True" | "False"; reason: string; message: string } = { status: "True", reason: "", message: "" };
      for (const r of own) {
        const error = replicaStartError(r);
        const state = (r.status ?? {}) as { currentState?: string };
        if (error && state.currentState !== "error") {
          replicas(client).updateStatus({ ...r, status: { ...state, currentState: "error", lastFailedAt: now } });
          client.resource("v1", "Event").create({
            apiVersion: "v1",
            kind: "Event",
            metadata: { name: `${r.metadata.name}.${hex(16)}`, namespace: LONGHORN_NS },
            involvedObject: { apiVersion: "longhorn.io/v1beta2", kind: "Replica", name: r.metadata.name, namespace: LONGHORN_NS },
            reason: "FailedStarting",
            message: `Error starting ${r.metadata.name}: ${error}`,
            type: "Warning",
            firstTimestamp: now,
            lastTimestamp: now,
            count: 1,
            source: { component: "longhorn-replica-controller" },
          });
        }
        if (r.spec.evictionRequested !== true || r.metadata.deletionTimestamp) continue;
        const pending = rebuilding.get(r.metadata.name);
        if (pending) {
          if (nowMs < pending.doneAt) continue;
          const replacement = replicas(client).tryGet(pending.replacement, LONGHORN_NS) as ReplicaObject | undefined;
          if (replacement && !replicaStartError(replacement))
            replicas(client).updateStatus({
              ...replacement,
              status: {
                ...(replacement.status ?? {}),
                currentState: volume.status && (volume.status as { state?: string }).state === "attached" ? "running" : "stopped",
              },
            });
          disks.replicaData(r.spec.nodeID, r.spec.diskPath, r.spec.dataDirectoryName, false);
          replicas(client).patch(r.metadata.name, LONGHORN_NS, { metadata: { finalizers: [] } });
          replicas(client).delete(r.metadata.name, LONGHORN_NS);
          rebuilding.delete(r.metadata.name);
          continue;
        }
        const target = scheduleReplica(r, own, longhornNodes(client).list(LONGHORN_NS), schedulingSettings(client));
        if (typeof target === "string") {
          scheduled = {
            status: "False",
            reason: "ReplicaSchedulingFailure",
            message: `replica ${r.metadata.name} cannot be evicted: ${target}`,
          };
          continue;
        }
        const replacement = `${name}-r-${hex(8)}`;
        const dataDirectoryName = `${name}-${hex(8)}`;
        replicas(client).create({
          apiVersion: "longhorn.io/v1beta2",
          kind: "Replica",
          metadata: {
            name: replacement,
            namespace: LONGHORN_NS,
            finalizers: ["longhorn.io"],
            labels: { longhornnode: target.node, longhorndiskuuid: target.diskUUID, longhornvolume: name },
          },
          spec: {
            ...r.spec,
            nodeID: target.node,
            diskID: target.diskUUID,
            diskPath: target.diskPath,
            dataDirectoryName,
            evictionRequested: false,
          },
          status: { currentState: "starting" },
        } as ReplicaObject);
        disks.replicaData(target.node, target.diskPath, dataDirectoryName, true);
        rebuilding.set(r.metadata.name, { replacement, doneAt: nowMs + scaled(timing, REBUILD_MS) });
        queue.addAfter(name, scaled(timing, REBUILD_MS));
      }
      const replenished = replenish(name, volume, { client, queue, scheduler });
      if (replenished) scheduled = replenished;
      const current = volumes(client).tryGet(name, LONGHORN_NS) ?? volume;
      const status = (current.status ?? {}) as { conditions?: Condition[]; robustness?: string; state?: string };
      const conditions = setCondition(status.conditions, "Scheduled", scheduled.status, scheduled.reason, scheduled.message, now);
      const mine = replicas(client).list(LONGHORN_NS, { labelSelector: `longhornvolume=${name}` }) as ReplicaObject[];
      const wanted = Number((current.spec as { numberOfReplicas?: number }).numberOfReplicas ?? mine.length);
      const robustness = status.state === "attached" ? robustnessOf(wanted, mine) : status.robustness;
      if (JSON.stringify(conditions) !== JSON.stringify(status.conditions) || robustness !== status.robustness)
        volumes(client).updateStatus({ ...current, status: { ...status, conditions, ...(robustness ? { robustness } : {}) } });
      if (scheduled.status === "False") queue.addAfter(name, scaled(timing, REBUILD_MS));
    },
  };
}
