import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRequest, startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

const configMap = (name: string, stage: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: default}
data: {stage: ${stage}}
`;

// Flux's kustomize-controller applies server-side what an operator once applied client-side.
describe("kubectl apply, client-side then server-side", () => {
  it("takes over client-side fields without a conflict, then keeps the ownership kubectl migrates", async () => {
    const kubectl = await lab.kubectl();
    expect((await kubectl(["apply", "-f", "-"], { input: configMap("migrated", "one") })).code).toBe(0);
    const applied = await kubectl(["apply", "--server-side", "-f", "-"], { input: configMap("migrated", "two") });
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toBe("configmap/migrated serverside-applied\n");
    const managers = JSON.parse((await kubectl(["get", "cm", "migrated", "-o", "jsonpath={.metadata.managedFields}"])).stdout);
    // kubectl replaced managedFields with a JSON patch: the client-side owner is gone, its fields are kubectl's Apply.
    expect(managers.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toEqual([
      "kubectl/Apply",
      "kubectl-last-applied/Apply",
    ]);
    const changed = await kubectl(["apply", "--server-side", "-f", "-"], { input: configMap("migrated", "three") });
    expect(changed.stdout).toBe("configmap/migrated serverside-applied\n");
  });
});

describe("replace (PUT) without a resourceVersion", () => {
  it("is refused for a custom resource (422) and allowed for a built-in, as on a real server", async () => {
    await lab.api.control.load([
      {
        apiVersion: "longhorn.io/v1beta2",
        kind: "Setting",
        metadata: { name: "v2-data-engine", namespace: "longhorn-system" },
        value: "false",
      },
    ]);
    const put = (path: string, body: object) =>
      httpRequest(lab.api.url, path, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const setting = await put("/apis/longhorn.io/v1beta2/namespaces/longhorn-system/settings/v2-data-engine", {
      apiVersion: "longhorn.io/v1beta2",
      kind: "Setting",
      metadata: { name: "v2-data-engine", namespace: "longhorn-system" },
      value: "true",
    });
    expect(setting.status).toBe(422);
    expect(setting.json.message).toBe(
      'Setting.longhorn.io "v2-data-engine" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
    const kubectl = await lab.kubectl();
    // kubectl replace itself fetches the resourceVersion first, so it succeeds on a real server and here.
    const manifest = `apiVersion: longhorn.io/v1beta2
kind: Setting
metadata: {name: v2-data-engine, namespace: longhorn-system}
value: "true"
`;
    expect((await kubectl(["replace", "-f", "-"], { input: manifest })).stdout).toBe("setting.longhorn.io/v2-data-engine replaced\n");
    await kubectl(["create", "-f", "-"], { input: configMap("replaced", "one") });
    const cm = await put("/api/v1/namespaces/default/configmaps/replaced", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "replaced", namespace: "default" },
      data: { stage: "two" },
    });
    expect(cm.status).toBe(200);
  });
});

describe("dry runs", () => {
  it("refuses a dryRun value other than All and stores nothing", async () => {
    const result = await httpRequest(lab.api.url, "/api/v1/namespaces/default/configmaps?dryRun=Bogus", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bogus" } }),
    });
    expect(result.status).toBe(422);
    expect(result.json.message).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Bogus"}: supported values: "All"',
    );
    const kubectl = await lab.kubectl();
    expect((await kubectl(["get", "cm", "bogus"])).code).toBe(1);
    expect((await kubectl(["create", "cm", "dry", "--dry-run=server", "-o", "name"])).stdout).toBe("configmap/dry\n");
    expect((await kubectl(["get", "cm", "dry"])).code).toBe(1);
  });
});
