import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
  await lab.api.control.load([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "longhorn-system" } }]);
});
afterAll(async () => {
  await lab?.close();
});

const coreEvent = `apiVersion: v1
kind: Event
metadata: {name: k3s1.disk-failed, namespace: longhorn-system}
involvedObject: {kind: Node, apiVersion: longhorn.io/v1beta2, name: k3s1, namespace: longhorn-system}
reason: DiskFailed
message: disk sdf1 is not ready
type: Warning
source: {component: longhorn-node-controller}
count: 3
`;
const newEvent = `apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: k3s2.evicted, namespace: longhorn-system}
regarding: {kind: Node, apiVersion: longhorn.io/v1beta2, name: k3s2, namespace: longhorn-system}
reason: Evicted
note: replicas moved
type: Normal
eventTime: "2025-03-01T12:00:00.000000Z"
reportingController: longhorn.io/node-controller
reportingInstance: longhorn-manager-x1
action: Evict
`;

// Drills probe the events simulated controllers record; the real kubectl reads events.k8s.io/v1 for `kubectl events`.
describe("core/v1 and events.k8s.io/v1 Events", () => {
  it("are one store, each shown in its own shape", async () => {
    const kubectl = await lab.kubectl();
    expect((await kubectl(["create", "-f", "-"], { input: coreEvent })).code).toBe(0);
    expect((await kubectl(["create", "-f", "-"], { input: newEvent })).code).toBe(0);
    const asNew = JSON.parse(
      (await kubectl(["get", "events.v1.events.k8s.io", "k3s1.disk-failed", "-n", "longhorn-system", "-o", "json"])).stdout,
    );
    expect(asNew).toMatchObject({
      apiVersion: "events.k8s.io/v1",
      regarding: { kind: "Node", name: "k3s1" },
      note: "disk sdf1 is not ready",
      deprecatedSource: { component: "longhorn-node-controller" },
      deprecatedCount: 3,
    });
    const asCore = JSON.parse((await kubectl(["get", "events.v1.", "k3s2.evicted", "-n", "longhorn-system", "-o", "json"])).stdout);
    expect(asCore).toMatchObject({
      apiVersion: "v1",
      involvedObject: { name: "k3s2" },
      message: "replicas moved",
      reportingComponent: "longhorn.io/node-controller",
    });
  });

  it("select by regarding.*, reason and type on events.k8s.io, by involvedObject.* on core", async () => {
    const kubectl = await lab.kubectl();
    const byRegarding = await kubectl([
      "get",
      "events.v1.events.k8s.io",
      "-n",
      "longhorn-system",
      "--field-selector",
      "regarding.name=k3s1,type=Warning",
      "-o",
      "name",
    ]);
    expect(byRegarding.stdout).toBe("event.events.k8s.io/k3s1.disk-failed\n");
    const byReason = await kubectl(["get", "events.v1.events.k8s.io", "-A", "--field-selector", "reason=Evicted", "-o", "name"]);
    expect(byReason.stdout).toBe("event.events.k8s.io/k3s2.evicted\n");
    const core = await kubectl(["get", "events", "-n", "longhorn-system", "--field-selector", "involvedObject.name=k3s2", "-o", "name"]);
    expect(core.stdout).toBe("event/k3s2.evicted\n");
    const deleted = await kubectl(["delete", "events.v1.events.k8s.io", "k3s2.evicted", "-n", "longhorn-system"]);
    expect(deleted.code).toBe(0);
    expect((await kubectl(["get", "events", "k3s2.evicted", "-n", "longhorn-system"])).code).toBe(1);
  });
});
