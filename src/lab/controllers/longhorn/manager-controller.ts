import { randomBytes } from "node:crypto";
import type { KubeObject } from "../../kube-api/index.js";
import { type ControllerLike, rfc3339, scaled, type Timing } from "../platform.js";
import { type DiskSize, defaultNode } from "./default-node.js";
import { kubeNodes, LONGHORN_NS, longhornNodes, pods, setting } from "./objects.js";

/** How long a longhorn-manager pod takes from created to running (image present): a few seconds. */
export const MANAGER_START_MS = 5_000;

const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const suffix = (): string => [...randomBytes(5)].map((b) => ALPHABET[b % ALPHABET.length]).join("");

function nodeSelectorMatches(selector: Record<string, string>, node: KubeObject): boolean {
  return Object.entries(selector).every(([k, v]) => node.metadata.labels?.[k] === v);
}

/**
 * The longhorn-manager DaemonSet and what a manager does when it starts, per node: a node whose
 * labels match the DaemonSet's nodeSelector (storage=longhorn) gets a manager pod, which runs
 * after MANAGER_START_MS; a node that loses the label loses its pod (ManagerPodMissing); a
 * manager that starts on a node without a Longhorn Node CR creates it, with default disks as
 * the label and annotation say (DataStore.CreateDefaultNode, syncDefaultDisks). A running
 * manager never recreates a deleted CR: only a restart does. Drills: the manager-restart fault,
 * a node losing storage=longhorn; longhorn-node's re-register stage.
 */
export function longhornManagerController(size: (node: string) => DiskSize, timing: Timing): ControllerLike {
  const starting = new Set<string>();
  return {
    name: "daemonset-controller",
    keysFor(change) {
      const { group, resource } = change.resource;
      const o = change.object;
      if (group === "" && resource === "nodes") return [o.metadata.name ?? ""];
      if (group === "" && resource === "pods" && o.metadata.labels?.app === "longhorn-manager")
        return [((o.spec ?? {}) as { nodeName?: string }).nodeName ?? ""];
      return [];
    },
    initialKeys: (client) =>
      kubeNodes(client)
        .list()
        .map((n) => n.metadata.name ?? ""),
    reconcile(name, { client, queue, scheduler }) {
      const node = kubeNodes(client).tryGet(name);
      const daemonSet = client.resource("apps/v1", "DaemonSet").tryGet("longhorn-manager", LONGHORN_NS);
      const template = (
        (daemonSet?.spec ?? {}) as {
          template?: { spec?: { nodeSelector?: Record<string, string>; containers?: unknown[]; terminationGracePeriodSeconds?: number } };
        }
      ).template;
      const selector = template?.spec?.nodeSelector ?? {};
      const wanted = node !== undefined && nodeSelectorMatches(selector, node);
      const own = pods(client)
        .list(LONGHORN_NS, { labelSelector: "app=longhorn-manager", fieldSelector: `spec.nodeName=${name}` })
        .filter((p) => !p.metadata.deletionTimestamp);
      if (!wanted) {
        for (const pod of own) pods(client).delete(pod.metadata.name ?? "", LONGHORN_NS);
        return;
      }
      const pod = own[0];
      if (!pod) {
        if (starting.has(name)) return;
        starting.add(name);
        const now = rfc3339(scheduler.now());
        pods(client).create({
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            name: `longhorn-manager-${suffix()}`,
            namespace: LONGHORN_NS,
            labels: { app: "longhorn-manager", "app.kubernetes.io/name": "longhorn" },
            ownerReferences: daemonSet
              ? [
                  {
                    apiVersion: "apps/v1",
                    kind: "DaemonSet",
                    name: "longhorn-manager",
                    uid: daemonSet.metadata.uid,
                    controller: true,
                    blockOwnerDeletion: true,
                  },
                ]
              : [],
          },
          spec: {
            nodeName: name,
            containers: template?.spec?.containers ?? [{ name: "longhorn-manager", image: "longhornio/longhorn-manager" }],
            terminationGracePeriodSeconds: template?.spec?.terminationGracePeriodSeconds ?? 30,
          },
          status: { phase: "Pending", startTime: now, conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: now }] },
        });
        queue.addAfter(name, scaled(timing, MANAGER_START_MS));
        return;
      }
      const status = (pod.status ?? {}) as { phase?: string };
      if (status.phase === "Running") return;
      // The manager starts: its pod runs, and it registers its node when Longhorn has no Node CR for it.
      starting.delete(name);
      const now = rfc3339(scheduler.now());
      pods(client).updateStatus({
        ...pod,
        status: {
          ...status,
          phase: "Running",
          conditions: ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
            type,
            status: "True",
            lastTransitionTime: now,
          })),
          containerStatuses: [
            { name: "longhorn-manager", ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } },
          ],
        },
      });
      if (!longhornNodes(client).tryGet(name, LONGHORN_NS) && node) {
        const settings = {
          createDefaultDiskLabeledNodes: setting(client, "create-default-disk-labeled-nodes", "false") === "true",
          defaultDataPath: setting(client, "default-data-path", "/var/lib/longhorn/"),
          reservedPercentage: Number(setting(client, "storage-reserved-percentage-for-default-disk", "30")),
        };
        const cr = defaultNode(
          name,
          { labels: node.metadata.labels ?? {}, annotations: node.metadata.annotations ?? {} },
          settings,
          size(name),
        );
        longhornNodes(client).create(cr as never);
      }
    },
  };
}
