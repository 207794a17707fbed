import { type ControllerLike, rfc3339, scaled, type Timing } from "../platform.js";

/** kube-controller-manager's node-monitor-grace-period: a silent kubelet's node turns Unknown after this. */
export const NODE_MONITOR_GRACE_MS = 40_000;
/** How often a kubelet posts its status. */
export const NODE_STATUS_PERIOD_MS = 10_000;

/**
 * The kubelet's heartbeat and the node lifecycle controller, per node: a node whose sshd runs
 * (the lab's stand-in for its kubelet) is Ready; one whose sshd is down or frozen for longer than
 * the grace period becomes Ready=Unknown (NodeStatusUnknown), as on a real cluster. Drills:
 * sshd-down and sshd-frozen; the kubelet simulation keeps pods Terminating on such a node.
 */
export function nodeLifecycleController(nodeAlive: (node: string) => boolean, timing: Timing): ControllerLike {
  const silentSince = new Map<string, number>();
  return {
    name: "node-lifecycle-controller",
    keysFor: () => [],
    initialKeys: (client) =>
      client
        .resource("v1", "Node")
        .list()
        .map((n) => n.metadata.name ?? ""),
    reconcile(name, { client, queue, scheduler }) {
      queue.addAfter(name, scaled(timing, NODE_STATUS_PERIOD_MS));
      const nodes = client.resource("v1", "Node");
      const node = nodes.tryGet(name);
      if (!node) return;
      const nowMs = scheduler.now().getTime();
      const now = rfc3339(scheduler.now());
      const status = (node.status ?? {}) as { conditions?: { type: string; status: string; [k: string]: unknown }[] };
      const ready = status.conditions?.find((c) => c.type === "Ready");
      let next: { status: string; reason: string; message: string } | undefined;
      if (nodeAlive(name)) {
        silentSince.delete(name);
        if (ready?.status !== "True") next = { status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" };
      } else {
        const since = silentSince.get(name) ?? nowMs;
        silentSince.set(name, since);
        if (nowMs - since >= scaled(timing, NODE_MONITOR_GRACE_MS) && ready?.status !== "Unknown")
          next = { status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." };
      }
      if (!next) return;
      const conditions = (status.conditions ?? []).map((c) =>
        c.type === "Ready" ? { ...c, ...next, lastTransitionTime: now, lastHeartbeatTime: now } : c,
      );
      nodes.updateStatus({ ...node, status: { ...status, conditions } });
    },
  };
}
