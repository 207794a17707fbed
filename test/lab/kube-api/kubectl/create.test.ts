import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

// kubectl's typed clients (create <kind>, cordon, drain) send protobuf bodies, not JSON.
describe("kubectl create <kind> (protobuf bodies)", () => {
  it("creates a namespace, a configmap and a secret with their data", async () => {
    const kubectl = await lab.kubectl();
    expect((await kubectl(["create", "namespace", "recover-drill"])).stdout).toBe("namespace/recover-drill created\n");
    expect((await kubectl(["get", "ns", "recover-drill"])).stdout).toMatch(/recover-drill\s+Active\s+/);
    const cm = await kubectl([
      "-n",
      "recover-drill",
      "create",
      "configmap",
      "settings",
      "--from-literal=stage=wipe",
      "--from-literal=empty=",
    ]);
    expect(cm.stdout).toBe("configmap/settings created\n");
    expect((await kubectl(["-n", "recover-drill", "get", "cm", "settings", "-o", "jsonpath={.data}"])).stdout).toBe(
      '{"empty":"","stage":"wipe"}',
    );
    await kubectl(["-n", "recover-drill", "create", "secret", "generic", "creds", "--from-literal=token=s3cret"]);
    const secret = JSON.parse((await kubectl(["-n", "recover-drill", "get", "secret", "creds", "-o", "json"])).stdout);
    expect(secret).toMatchObject({ type: "Opaque", data: { token: Buffer.from("s3cret").toString("base64") } });
    const again = await kubectl(["create", "namespace", "recover-drill"]);
    expect(again.stderr).toBe('Error from server (AlreadyExists): namespaces "recover-drill" already exists\n');
  });
});

describe("kubectl cordon and drain", () => {
  it("cordons a node, evicts its pods through the eviction subresource, and uncordons it", async () => {
    await lab.api.control.load([
      { apiVersion: "v1", kind: "Node", metadata: { name: "k3s2" }, status: { conditions: [{ type: "Ready", status: "True" }] } },
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "app-on-k3s2", namespace: "default" },
        spec: { nodeName: "k3s2", containers: [{ name: "app", image: "nginx" }] },
        status: { phase: "Running" },
      },
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "app-elsewhere", namespace: "default" },
        spec: { nodeName: "k3s3", containers: [{ name: "app", image: "nginx" }] },
        status: { phase: "Running" },
      },
    ]);
    const kubectl = await lab.kubectl();
    const drained = await kubectl(["drain", "k3s2", "--ignore-daemonsets", "--force", "--grace-period=0", "--timeout=15s"]);
    expect(drained.code).toBe(0);
    expect(drained.stdout).toContain("pod/app-on-k3s2 evicted");
    expect(drained.stdout).toContain("node/k3s2 drained");
    expect((await kubectl(["get", "pods", "-o", "name"])).stdout).toBe("pod/app-elsewhere\n");
    expect((await kubectl(["get", "node", "k3s2"])).stdout).toMatch(/k3s2\s+Ready,SchedulingDisabled/);
    expect((await kubectl(["uncordon", "k3s2"])).stdout).toBe("node/k3s2 uncordoned\n");
    expect((await kubectl(["get", "node", "k3s2", "-o", "jsonpath={.spec.unschedulable}"])).stdout).toBe("");
  });
});
