import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubectlMinor, startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: drills.recover.io
spec:
  group: recover.io
  scope: Namespaced
  names: {plural: drills, singular: drill, kind: Drill, shortNames: [dr]}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
      additionalPrinterColumns:
        - {name: Phase, type: string, jsonPath: .status.phase}
      subresources: {status: {}}
`;

describe("discovery", () => {
  it("lists Longhorn, Flux and core resources in api-resources, with short names", async () => {
    const kubectl = await lab.kubectl();
    const result = await kubectl(["api-resources"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\n/);
    expect(result.stdout).toMatch(/\nnodes\s+lhn\s+longhorn\.io\/v1beta2\s+true\s+Node\n/);
    expect(result.stdout).toMatch(/\nkustomizations\s+ks\s+kustomize\.toolkit\.fluxcd\.io\/v1\s+true\s+Kustomization\n/);
    expect(result.stdout).toMatch(/\nleases\s+coordination\.k8s\.io\/v1\s+true\s+Lease\n/);
    expect(result.stdout).toMatch(/\nnodes\s+no\s+v1\s+false\s+Node\n/);
  });

  it("serves a CRD created at runtime to a kubectl with a fresh cache, printer columns and all", async () => {
    const kubectl = await lab.kubectl();
    expect((await kubectl(["apply", "-f", "-"], { input: crd })).stdout).toBe(
      "customresourcedefinition.apiextensions.k8s.io/drills.recover.io created\n",
    );
    expect((await kubectl(["wait", "--for=condition=Established", "crd/drills.recover.io", "--timeout=10s"])).code).toBe(0);
    const fresh = await lab.kubectl();
    const created = await fresh(["apply", "-f", "-"], {
      input: "apiVersion: recover.io/v1\nkind: Drill\nmetadata: {name: d1, namespace: default}\nspec: {node: k3s1}\n",
    });
    expect(created.stdout).toBe("drill.recover.io/d1 created\n");
    await fresh(["patch", "dr", "d1", "--subresource=status", "--type=merge", "-p", '{"status":{"phase":"Running"}}']);
    expect((await fresh(["get", "dr"])).stdout).toBe("NAME   PHASE\nd1     Running\n");
    expect((await fresh(["delete", "crd", "drills.recover.io"])).code).toBe(0);
    const after = await (await lab.kubectl())(["get", "drills"]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(`the server doesn't have a resource type "drills"`);
  });

  it("talks to kubectl 1.29, which asks only for aggregated discovery v2beta1", async (context) => {
    const old = kubectlMinor(29);
    if (!existsSync(old)) context.skip();
    const kubectl = await lab.kubectl();
    lab.api.control.clearRequests();
    const result = await kubectl(["get", "lhn", "-A"], { binary: old });
    expect(result).toMatchObject({ code: 0, stderr: "No resources found\n" });
    const apis = lab.api.control.requests().find((r) => r.path === "/apis");
    expect(apis?.status).toBe(200);
    const resources = await kubectl(["api-resources", "--api-group=longhorn.io"], { binary: old });
    expect(resources.stdout).toMatch(/\nnodes\s+lhn\s+longhorn\.io\/v1beta2\s+true\s+Node\n/);
  });

  it("answers the dispatcher's /version so that kubectl picks its 1.32 client", async () => {
    const kubectl = await lab.kubectl();
    const result = await kubectl(["version", "-o", "json"]);
    const version = JSON.parse(result.stdout);
    expect(version.serverVersion).toMatchObject({ major: "1", minor: "32" });
    expect(version.clientVersion.minor).toMatch(/^32/);
  });
});
