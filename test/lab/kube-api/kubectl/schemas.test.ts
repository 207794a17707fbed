import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRequest, startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
  const kubectl = await lab.kubectl();
  expect((await kubectl(["apply", "-f", "-"], { input: crd })).code).toBe(0);
});
afterAll(async () => {
  await lab?.close();
});

// Shaped like the disks of the real nodes.longhorn.io schema: typed fields, an enum, a default, a required path.
const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: disks.drill.recover.io}
spec:
  group: drill.recover.io
  scope: Namespaced
  names: {plural: disks, singular: disk, kind: Disk}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [path]
              properties:
                path: {type: string}
                allowScheduling: {type: boolean, default: true}
                diskType: {type: string, enum: [filesystem, block], default: filesystem}
                storageReserved: {type: integer}
                tags: {type: array, items: {type: string}}
            status: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
const disk = (name: string, spec: string) => `apiVersion: drill.recover.io/v1
kind: Disk
metadata: {name: ${name}, namespace: default}
spec: ${spec}
`;

describe("a CRD's structural schema", () => {
  it("refuses unknown fields under kubectl's default --validate=strict (400), warns or prunes otherwise", async () => {
    const kubectl = await lab.kubectl();
    const strict = await kubectl(["apply", "-f", "-"], { input: disk("typo", "{path: /mnt/a, foo: 1}") });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('Disk in version "v1" cannot be handled as a Disk: strict decoding error: unknown field "spec.foo"');
    const warned = await kubectl(["apply", "--validate=warn", "-f", "-"], { input: disk("warned", "{path: /mnt/a, foo: 1}") });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('Warning: unknown field "spec.foo"');
    const ignored = await kubectl(["apply", "--validate=false", "-f", "-"], { input: disk("ignored", "{path: /mnt/a, foo: 1}") });
    expect(ignored.stderr).toBe("");
    for (const name of ["warned", "ignored"])
      expect((await kubectl(["get", "disk", name, "-o", "jsonpath={.spec}"])).stdout).not.toContain("foo");
  });

  it("applies defaults and checks types, enums and required fields (422)", async () => {
    const kubectl = await lab.kubectl();
    await kubectl(["apply", "-f", "-"], { input: disk("defaulted", "{path: /mnt/b}") });
    expect((await kubectl(["get", "disk", "defaulted", "-o", "jsonpath={.spec.allowScheduling} {.spec.diskType}"])).stdout).toBe(
      "true filesystem",
    );
    const bad = await kubectl(["apply", "-f", "-"], { input: disk("bad", '{diskType: bogus, storageReserved: "lots"}') });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec.diskType: Unsupported value: "bogus": supported values: "filesystem", "block"');
    expect(bad.stderr).toContain(
      'spec.storageReserved: Invalid value: "string": spec.storageReserved in body must be of type integer: "string"',
    );
    expect(bad.stderr).toContain("spec.path: Required value");
  });

  it("checks server-side apply and patches too", async () => {
    const kubectl = await lab.kubectl();
    const applied = await kubectl(["apply", "--server-side", "-f", "-"], { input: disk("ssa", "{path: /mnt/c, bar: 2}") });
    expect(applied.stderr).toContain('unknown field "spec.bar"');
    const patched = await kubectl(["patch", "disk", "defaulted", "--type=merge", "-p", '{"spec":{"diskType":"tape"}}']);
    expect(patched.code).toBe(1);
    expect(patched.stderr).toContain('spec.diskType: Unsupported value: "tape"');
  });
});

describe("built-ins the lab writes", () => {
  it("refuse a taint effect that does not exist, with the real message", async () => {
    await lab.api.control.load([{ apiVersion: "v1", kind: "Node", metadata: { name: "k3s9" } }]);
    const kubectl = await lab.kubectl();
    const tainted = await kubectl(["taint", "node", "k3s9", "recover=drill:Bogus"]);
    expect(tainted.code).toBe(1);
    expect(tainted.stderr).toContain("Bogus");
    const raw = await httpRequest(lab.api.url, "/api/v1/nodes/k3s9", {
      method: "PATCH",
      headers: { "Content-Type": "application/merge-patch+json" },
      body: JSON.stringify({ spec: { taints: [{ key: "recover", effect: "Bogus" }] } }),
    });
    expect(raw.json.message).toBe(
      'Node "k3s9" is invalid: spec.taints[0].effect: Unsupported value: "Bogus": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"',
    );
  });

  it("refuse a Lease with a non-positive duration (422) or a renewTime that is not RFC 3339 (400)", async () => {
    const lease = (spec: object) =>
      httpRequest(lab.api.url, "/apis/coordination.k8s.io/v1/namespaces/default/leases", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "recover-k3s1" }, spec }),
      });
    const negative = await lease({ holderIdentity: "recover", leaseDurationSeconds: -1 });
    expect([negative.status, negative.json.message]).toEqual([
      422,
      'Lease.coordination.k8s.io "recover-k3s1" is invalid: spec.leaseDurationSeconds: Invalid value: -1: must be greater than 0',
    ]);
    const yesterday = await lease({ holderIdentity: "recover", renewTime: "yesterday" });
    expect(yesterday.status).toBe(400);
    expect(yesterday.json.message).toContain('parsing time "yesterday"');
    expect((await lease({ holderIdentity: "recover", leaseDurationSeconds: 30, renewTime: "2025-03-01T12:00:00.000000Z" })).status).toBe(
      201,
    );
  });

  it("refuse a ConfigMap value that is not a string (400, as Go's decoder)", async () => {
    const result = await httpRequest(lab.api.url, "/api/v1/namespaces/default/configmaps", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "typed" }, data: { replicas: 3 } }),
    });
    expect([result.status, result.json.message]).toEqual([
      400,
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    ]);
  });

  it("default a pod to Pending and give a Node every nodeInfo field", async () => {
    const kubectl = await lab.kubectl();
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: fresh, namespace: default}
spec: {containers: [{name: c, image: busybox}]}
`;
    await kubectl(["apply", "-f", "-"], { input: pod });
    expect((await kubectl(["get", "pod", "fresh", "-o", "jsonpath={.status.phase}"])).stdout).toBe("Pending");
    const node = `apiVersion: v1
kind: Node
metadata: {name: k3s8}
`;
    await kubectl(["apply", "-f", "-"], { input: node });
    const info = JSON.parse((await kubectl(["get", "node", "k3s8", "-o", "jsonpath={.status.nodeInfo}"])).stdout);
    expect(Object.keys(info).sort()).toEqual(
      [
        "architecture",
        "bootID",
        "containerRuntimeVersion",
        "kernelVersion",
        "kubeProxyVersion",
        "kubeletVersion",
        "machineID",
        "operatingSystem",
        "osImage",
        "systemUUID",
      ].sort(),
    );
  });
});
