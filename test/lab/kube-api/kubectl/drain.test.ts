import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

const ready = { conditions: [{ type: "Ready", status: "True" }] };
const running = { phase: "Running", conditions: [{ type: "Ready", status: "True" }] };
const podOn = (name: string, node: string, extra: { labels?: Record<string, string>; owner?: object; namespace?: string } = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name,
    namespace: extra.namespace ?? "longhorn-system",
    ...(extra.labels ? { labels: extra.labels } : {}),
    ...(extra.owner ? { ownerReferences: [extra.owner] } : {}),
  },
  spec: { nodeName: node, terminationGracePeriodSeconds: 0, containers: [{ name: "c", image: "longhornio/longhorn-manager" }] },
  status: running,
});

// Drill: drain a node that still runs Longhorn's instance manager; its PDB holds the drain until Longhorn lets go.
describe("kubectl drain on a Longhorn node", () => {
  it("skips DaemonSet pods, evicts the rest, and stops at an instance-manager PDB (429) until it is gone", async () => {
    await lab.api.control.load([
      { apiVersion: "v1", kind: "Node", metadata: { name: "k3s4" }, status: ready },
      {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "longhorn-manager", namespace: "longhorn-system", uid: "ds-uid-1" },
        spec: { selector: { matchLabels: { app: "longhorn-manager" } }, template: { metadata: { labels: { app: "longhorn-manager" } } } },
      },
      podOn("longhorn-manager-x1", "k3s4", {
        labels: { app: "longhorn-manager" },
        owner: { apiVersion: "apps/v1", kind: "DaemonSet", name: "longhorn-manager", uid: "ds-uid-1", controller: true },
      }),
      podOn("instance-manager-abc", "k3s4", {
        labels: { "longhorn.io/component": "instance-manager", "longhorn.io/node": "k3s4" },
        owner: {
          apiVersion: "longhorn.io/v1beta2",
          kind: "InstanceManager",
          name: "instance-manager-abc",
          uid: "im-uid-1",
          controller: true,
        },
      }),
      {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "instance-manager-abc", namespace: "longhorn-system" },
        spec: { minAvailable: 1, selector: { matchLabels: { "longhorn.io/component": "instance-manager", "longhorn.io/node": "k3s4" } } },
      },
      podOn("web", "k3s4", {
        namespace: "default",
        owner: { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d8", uid: "rs-uid-1", controller: true },
      }),
    ]);
    const kubectl = await lab.kubectl();
    const pdb = await kubectl([
      "get",
      "pdb",
      "instance-manager-abc",
      "-n",
      "longhorn-system",
      "-o",
      "jsonpath={.status.disruptionsAllowed}/{.status.currentHealthy}",
    ]);
    expect(pdb.stdout).toBe("0/1");

    const held = await kubectl(["drain", "k3s4", "--ignore-daemonsets", "--timeout=2s"], { timeoutMs: 30_000 });
    expect(held.code).toBe(1);
    expect(held.stderr).toContain("Warning: ignoring DaemonSet-managed Pods: longhorn-system/longhorn-manager-x1");
    expect(held.stdout).toContain("pod/web evicted");
    expect(held.stderr).toContain(
      'error when evicting pods/"instance-manager-abc" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.',
    );
    expect((await kubectl(["get", "pods", "-A", "-o", "name"])).stdout).toBe("pod/instance-manager-abc\npod/longhorn-manager-x1\n");

    // Longhorn removes the PDB once the node's volumes are detached; then the drain completes.
    await kubectl(["delete", "pdb", "instance-manager-abc", "-n", "longhorn-system"]);
    const drained = await kubectl(["drain", "k3s4", "--ignore-daemonsets", "--timeout=15s"], { timeoutMs: 30_000 });
    expect(drained.code).toBe(0);
    expect(drained.stdout).toContain("pod/instance-manager-abc evicted");
    expect(drained.stdout).toContain("node/k3s4 drained");
    expect((await kubectl(["get", "pods", "-A", "-o", "name"])).stdout).toBe("pod/longhorn-manager-x1\n");
  });

  it("refuses to drain DaemonSet pods without --ignore-daemonsets, as on a real cluster", async () => {
    const kubectl = await lab.kubectl();
    const refused = await kubectl(["drain", "k3s4", "--timeout=2s"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): longhorn-system/longhorn-manager-x1",
    );
  });
});
