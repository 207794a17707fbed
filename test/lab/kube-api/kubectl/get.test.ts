import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
  await lab.api.control.load([
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "alpha", namespace: "default", labels: { tier: "db" } }, data: { k: "v" } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "beta", namespace: "default", labels: { tier: "web" } } },
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "k3s1", labels: { "node-role.kubernetes.io/control-plane": "true" } },
      status: { conditions: [{ type: "Ready", status: "True" }], nodeInfo: { kubeletVersion: "v1.32.5+k3s1" } },
    },
    {
      apiVersion: "longhorn.io/v1beta2",
      kind: "Node",
      metadata: { name: "k3s1", namespace: "longhorn-system" },
      spec: { allowScheduling: true },
      status: {
        conditions: [
          { type: "Ready", status: "True" },
          { type: "Schedulable", status: "True" },
        ],
      },
    },
  ]);
});
afterAll(async () => {
  await lab?.close();
});

describe("kubectl get", () => {
  it("prints a table with server-side columns", async () => {
    const kubectl = await lab.kubectl();
    const nodes = await kubectl(["get", "nodes"]);
    expect(nodes.stderr).toBe("");
    expect(nodes.stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
    expect(nodes.stdout).toMatch(/k3s1\s+Ready\s+control-plane\s+\S+\s+v1\.32\.5\+k3s1/);
    const cms = await kubectl(["get", "configmaps", "-l", "tier=db"]);
    expect(cms.stdout).toMatch(/^NAME\s+DATA\s+AGE\nalpha\s+1\s+/);
    expect(cms.stdout).not.toContain("beta");
  });

  it("shows Longhorn nodes by short name with their printer columns", async () => {
    const kubectl = await lab.kubectl();
    const result = await kubectl(["get", "lhn", "-n", "longhorn-system"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^NAME\s+READY\s+ALLOWSCHEDULING\s+SCHEDULABLE\s+AGE\n/);
    expect(result.stdout).toMatch(/k3s1\s+True\s+true\s+True\s+/);
  });

  it("prints one object as JSON, YAML, a JSONPath value and a name", async () => {
    const kubectl = await lab.kubectl();
    const json = JSON.parse((await kubectl(["get", "configmap", "alpha", "-o", "json"])).stdout);
    expect(json).toMatchObject({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "alpha", namespace: "default" },
      data: { k: "v" },
    });
    expect((await kubectl(["get", "cm", "alpha", "-o", "yaml"])).stdout).toMatch(/^apiVersion: v1\ndata:\n {2}k: v\nkind: ConfigMap\n/);
    expect((await kubectl(["get", "cm", "alpha", "-o", "jsonpath={.metadata.labels.tier}"])).stdout).toBe("db");
    expect((await kubectl(["get", "cm", "-o", "name"])).stdout).toBe("configmap/alpha\nconfigmap/beta\n");
    expect((await kubectl(["get", "nodes.longhorn.io", "-A", "-o", "jsonpath={.items[*].spec.allowScheduling}"])).stdout).toBe("true");
  });

  it("prints the real NotFound message and exits 1", async () => {
    const kubectl = await lab.kubectl();
    const result = await kubectl(["get", "lhn", "nope", "-n", "longhorn-system"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error from server (NotFound): nodes.longhorn.io "nope" not found\n');
  });

  it("filters by field selector and lists across namespaces", async () => {
    const kubectl = await lab.kubectl();
    const byName = await kubectl(["get", "cm", "-A", "--field-selector", "metadata.name=beta", "-o", "name"]);
    expect(byName.stdout).toBe("configmap/beta\n");
    const bad = await kubectl(["get", "cm", "--field-selector", "data.k=v"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("field label not supported: data.k");
    const custom = await kubectl(["get", "lhn", "-n", "longhorn-system", "--field-selector", "spec.nodeID=k3s1"]);
    expect(custom.code).toBe(1);
    expect(custom.stderr).toContain('"spec.nodeID" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it("lists 1,000 objects in one call", async () => {
    const objects = Array.from({ length: 1000 }, (_, i) => ({
      apiVersion: "longhorn.io/v1beta2",
      kind: "Replica",
      metadata: { name: `pvc-r-${String(i).padStart(4, "0")}`, namespace: "longhorn-system", labels: { longhornnode: "k3s1" } },
      spec: { nodeID: "k3s1", volumeName: "pvc-1" },
      status: { currentState: "running" },
    }));
    await lab.api.control.load(objects);
    const kubectl = await lab.kubectl();
    const table = await kubectl(["get", "lhr", "-n", "longhorn-system", "--no-headers"]);
    expect(table.stderr).toBe("");
    expect(table.stdout.trimEnd().split("\n")).toHaveLength(1000);
    const names = await kubectl(["get", "replicas.longhorn.io", "-n", "longhorn-system", "-l", "longhornnode=k3s1", "-o", "name"]);
    expect(names.stdout.trimEnd().split("\n")).toHaveLength(1000);
  });
});
