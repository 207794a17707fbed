import { describe, expect, it } from "vitest";
import { conditionStatus } from "../../../../src/lab/controllers/longhorn/conditions.js";
import { finalizersAfterDeletion, syncNodeConditions } from "../../../../src/lab/controllers/longhorn/node-conditions.js";
import { diskSpec, NOW, node, readyDisk } from "./fixtures.js";

const k3s1 = node("k3s1", { sdf1: diskSpec("/mnt/longhorn/sdf1") }, { sdf1: readyDisk("u1", "/mnt/longhorn/sdf1") });
const kubeReady = { conditions: [{ type: "Ready", status: "True" }] };
const manager = { name: "longhorn-manager-abcde", nodeName: "k3s1", phase: "Running", ready: true };
const nowMs = Date.parse(NOW);
const readyOf = (r: ReturnType<typeof syncNodeConditions>) => r.conditions.find((c) => c.type === "Ready");

describe("the node controller's conditions (NodeController.syncNode)", () => {
  it("is Ready with its manager running on a Ready Kubernetes node", () => {
    const r = syncNodeConditions({ node: k3s1, kubeNode: kubeReady, managerPods: [manager], now: NOW, nowMs });
    expect(readyOf(r)).toMatchObject({ status: "True", message: "Node k3s1 is ready" });
  });

  it("is ManagerPodMissing without a manager pod, and marks every disk NodeNotReady", () => {
    const r = syncNodeConditions({ node: k3s1, kubeNode: kubeReady, managerPods: [], now: NOW, nowMs });
    expect(readyOf(r)).toMatchObject({
      status: "False",
      reason: "ManagerPodMissing",
      message: "Manager pod is missing: node k3s1 has no manager pod running on it",
    });
    expect(r.diskStatus.sdf1?.conditions.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "NodeNotReady" });
  });

  it("is KubernetesNodeGone without a Kubernetes node", () => {
    const r = syncNodeConditions({ node: k3s1, kubeNode: undefined, managerPods: [manager], now: NOW, nowMs });
    expect(readyOf(r)).toMatchObject({
      reason: "KubernetesNodeGone",
      message: "Kubernetes node missing: node k3s1 has been removed from the cluster",
    });
  });

  it("ignores a kubelet's NotReady for 15 s, then is KubernetesNodeNotReady", () => {
    const since = new Date(nowMs - 5_000).toISOString();
    const kubeNode = { conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady", lastTransitionTime: since }] };
    expect(conditionStatus(syncNodeConditions({ node: k3s1, kubeNode, managerPods: [manager], now: NOW, nowMs }).conditions, "Ready")).toBe(
      "True",
    );
    const later = syncNodeConditions({ node: k3s1, kubeNode, managerPods: [manager], now: NOW, nowMs: nowMs + 11_000 });
    expect(readyOf(later)).toMatchObject({
      status: "False",
      reason: "KubernetesNodeNotReady",
      message: "Kubernetes node k3s1 not ready: KubeletNotReady",
    });
  });

  it("keeps lastTransitionTime while the status does not change", () => {
    const first = syncNodeConditions({ node: k3s1, kubeNode: kubeReady, managerPods: [], now: NOW, nowMs });
    const next = syncNodeConditions({
      node: { ...k3s1, status: { ...k3s1.status, conditions: first.conditions } },
      kubeNode: kubeReady,
      managerPods: [],
      now: "2026-01-01T00:01:00Z",
      nowMs,
    });
    expect(readyOf(next)?.lastTransitionTime).toBe(NOW);
  });
});

describe("a Node CR being deleted", () => {
  it("loses the longhorn.io finalizer at once (1.9)", () => {
    expect(
      finalizersAfterDeletion({ ...k3s1, metadata: { ...k3s1.metadata, deletionTimestamp: NOW, finalizers: ["longhorn.io", "other"] } }),
    ).toEqual(["other"]);
    expect(finalizersAfterDeletion(k3s1)).toBeUndefined();
  });
});
