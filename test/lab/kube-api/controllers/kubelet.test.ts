import { afterEach, describe, expect, it } from "vitest";
import { KubeClient } from "../../../../src/lab/kube-api/api/client.js";
import { ObjectApi } from "../../../../src/lab/kube-api/api/object-api.js";
import { startController } from "../../../../src/lab/kube-api/controllers/controller.js";
import { kubelet } from "../../../../src/lab/kube-api/controllers/kubelet.js";
import { ManualScheduler } from "../../../../src/lab/kube-api/controllers/scheduler.js";
import { Registry } from "../../../../src/lab/kube-api/registry/registry.js";
import { Store } from "../../../../src/lab/kube-api/store/store.js";
import type { KubeObject } from "../../../../src/lab/kube-api/types.js";

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function cluster() {
  const scheduler = new ManualScheduler("2025-03-01T12:00:00Z");
  const store = new Store({ clock: () => scheduler.now() });
  const api = new ObjectApi(store, new Registry(), () => scheduler.now());
  const admin = new KubeClient(api, "test");
  admin.resource("v1", "Namespace").create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  const stop = startController({ onChange: (hook) => store.onChange(hook), client: (m) => new KubeClient(api, m), scheduler }, kubelet);
  stops.push(stop, () => store.close());
  return { scheduler, pods: admin.resource("v1", "Pod"), nodes: admin.resource("v1", "Node") };
}

const node = (name: string, ready: boolean): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name },
  status: { conditions: [{ type: "Ready", status: ready ? "True" : "Unknown" }] },
});
const pod = (name: string, nodeName: string, finalizers?: string[]): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", ...(finalizers ? { finalizers } : {}) },
  spec: { nodeName, containers: [{ name: "app", image: "nginx" }] },
});

describe("the simulated kubelet", () => {
  it("removes a pod on a Ready node when its grace period ends, not before, and not inside the delete", () => {
    const { scheduler, pods, nodes } = cluster();
    nodes.create(node("k3s1", true));
    pods.create(pod("web", "k3s1"));
    pods.delete("web", "default");
    scheduler.settle();
    expect(pods.tryGet("web", "default")?.metadata.deletionGracePeriodSeconds).toBe(30);
    scheduler.advance(29_000);
    expect(pods.tryGet("web", "default")).toBeDefined();
    scheduler.advance(1_000);
    expect(pods.tryGet("web", "default")).toBeUndefined();
  });

  it("leaves a pod on a NotReady node Terminating until the node is Ready again", () => {
    const { scheduler, pods, nodes } = cluster();
    nodes.create(node("k3s1", false));
    pods.create(pod("web", "k3s1"));
    pods.delete("web", "default", { gracePeriodSeconds: 5 });
    scheduler.advance(3_600_000);
    expect(pods.get("web", "default").metadata.deletionTimestamp).toBe("2025-03-01T12:00:05Z");
    nodes.updateStatus(node("k3s1", true));
    expect(pods.tryGet("web", "default")).toBeDefined();
    scheduler.settle();
    expect(pods.tryGet("web", "default")).toBeUndefined();
  });

  it("leaves a pod whose node does not exist Terminating", () => {
    const { scheduler, pods } = cluster();
    pods.create(pod("web", "gone"));
    pods.delete("web", "default", { gracePeriodSeconds: 1 });
    scheduler.advance(60_000);
    expect(pods.tryGet("web", "default")).toBeDefined();
  });

  it("lets a force delete (grace period 0) remove a pod on a NotReady node at once", () => {
    const { pods, nodes } = cluster();
    nodes.create(node("k3s1", false));
    pods.create(pod("web", "k3s1"));
    pods.delete("web", "default");
    pods.delete("web", "default", { gracePeriodSeconds: 0 });
    expect(pods.tryGet("web", "default")).toBeUndefined();
  });

  it("follows a shortened grace period and leaves finalizers to whoever owns them", () => {
    const { scheduler, pods, nodes } = cluster();
    nodes.create(node("k3s1", true));
    pods.create(pod("web", "k3s1", ["example.com/hold"]));
    pods.delete("web", "default", { gracePeriodSeconds: 60 });
    scheduler.advance(1_000);
    pods.delete("web", "default", { gracePeriodSeconds: 2 });
    scheduler.advance(2_000);
    const held = pods.get("web", "default");
    expect(held.metadata.deletionGracePeriodSeconds).toBe(0);
    pods.patch("web", "default", { metadata: { finalizers: null } });
    expect(pods.tryGet("web", "default")).toBeUndefined();
  });
});
