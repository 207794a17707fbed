import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
  await lab.api.control.load([
    {
      apiVersion: "longhorn.io/v1beta2",
      kind: "Node",
      metadata: { name: "k3s1", namespace: "longhorn-system" },
      spec: { allowScheduling: true, disks: { "disk-1": { path: "/mnt/longhorn/sdb1", allowScheduling: true, evictionRequested: false } } },
    },
    {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: { name: "apps", namespace: "flux-system" },
      spec: { interval: "10m", suspend: false, path: "./apps" },
    },
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web", namespace: "default" },
      spec: {
        containers: [
          { name: "app", image: "nginx:1", env: [{ name: "A", value: "1" }] },
          { name: "side", image: "busybox" },
        ],
      },
    },
  ]);
});
afterAll(async () => {
  await lab?.close();
});

const ns = ["-n", "longhorn-system"];

describe("kubectl patch", () => {
  it("merge-patches a Longhorn disk, then reports a repeat as no change", async () => {
    const kubectl = await lab.kubectl();
    const patch = JSON.stringify({ spec: { disks: { "disk-1": { allowScheduling: false } } } });
    const first = await kubectl(["patch", "lhn", "k3s1", ...ns, "--type=merge", "-p", patch]);
    expect(first).toMatchObject({ code: 0, stdout: "node.longhorn.io/k3s1 patched\n" });
    const again = await kubectl(["patch", "lhn", "k3s1", ...ns, "--type=merge", "-p", patch]);
    expect(again).toMatchObject({ code: 0, stdout: "node.longhorn.io/k3s1 patched (no change)\n" });
    const disk = await kubectl([
      "get",
      "lhn",
      "k3s1",
      ...ns,
      "-o",
      "jsonpath={.spec.disks.disk-1.allowScheduling},{.spec.disks.disk-1.path}",
    ]);
    expect(disk.stdout).toBe("false,/mnt/longhorn/sdb1");
  });

  it("removes a key with null and suspends a Flux Kustomization", async () => {
    const kubectl = await lab.kubectl();
    await kubectl(["patch", "lhn", "k3s1", ...ns, "--type=merge", "-p", '{"spec":{"disks":{"disk-1":null}}}']);
    expect((await kubectl(["get", "lhn", "k3s1", ...ns, "-o", "jsonpath={.spec.disks}"])).stdout).toBe("{}");
    const suspend = await kubectl([
      "-n",
      "flux-system",
      "patch",
      "kustomization",
      "apps",
      "--type=merge",
      "-p",
      '{"spec":{"suspend":true}}',
    ]);
    expect(suspend.stdout).toBe("kustomization.kustomize.toolkit.fluxcd.io/apps patched\n");
    expect((await kubectl(["-n", "flux-system", "get", "ks", "apps", "-o", "jsonpath={.spec.suspend}"])).stdout).toBe("true");
  });

  it("applies a JSON patch, and a failing one gets the server's 422", async () => {
    const kubectl = await lab.kubectl();
    const ok = await kubectl([
      "patch",
      "lhn",
      "k3s1",
      ...ns,
      "--type=json",
      "-p",
      '[{"op":"replace","path":"/spec/allowScheduling","value":false}]',
    ]);
    expect(ok.stdout).toBe("node.longhorn.io/k3s1 patched\n");
    const bad = await kubectl(["patch", "lhn", "k3s1", ...ns, "--type=json", "-p", '[{"op":"remove","path":"/spec/nope/deeper"}]']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error from server \(Invalid\)|The request is invalid/);
  });

  it("refuses a strategic merge patch on a custom resource with the real 415 message", async () => {
    const kubectl = await lab.kubectl();
    const result = await kubectl(["patch", "lhn", "k3s1", ...ns, "-p", '{"spec":{"allowScheduling":true}}']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    );
  });

  it("strategic-merges a Pod's containers by name", async () => {
    const kubectl = await lab.kubectl();
    const patch = JSON.stringify({ spec: { containers: [{ name: "app", image: "nginx:2" }] } });
    expect((await kubectl(["patch", "pod", "web", "-p", patch])).stdout).toBe("pod/web patched\n");
    const images = await kubectl(["get", "pod", "web", "-o", "jsonpath={.spec.containers[*].image} {.spec.containers[0].env[0].value}"]);
    expect(images.stdout).toBe("nginx:2 busybox 1");
  });
});

describe("kubectl label and annotate", () => {
  it("adds, overwrites and removes labels and annotations", async () => {
    const kubectl = await lab.kubectl();
    expect((await kubectl(["label", "lhn", "k3s1", ...ns, "storage=longhorn"])).stdout).toBe("node.longhorn.io/k3s1 labeled\n");
    const clash = await kubectl(["label", "lhn", "k3s1", ...ns, "storage=other"]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("'storage' already has a value (longhorn), and --overwrite is false");
    await kubectl(["label", "lhn", "k3s1", ...ns, "storage=other", "--overwrite"]);
    expect((await kubectl(["get", "lhn", "k3s1", ...ns, "-o", "jsonpath={.metadata.labels.storage}"])).stdout).toBe("other");
    expect((await kubectl(["label", "lhn", "k3s1", ...ns, "storage-"])).stdout).toBe("node.longhorn.io/k3s1 unlabeled\n");
    expect((await kubectl(["get", "lhn", "k3s1", ...ns, "-o", "jsonpath={.metadata.labels}"])).stdout).toBe("");

    const when = "2025-01-01T00:00:00Z";
    expect((await kubectl(["annotate", "lhn", "k3s1", ...ns, `recover.io/started=${when}`])).stdout).toBe(
      "node.longhorn.io/k3s1 annotated\n",
    );
    expect((await kubectl(["get", "lhn", "k3s1", ...ns, "-o", "jsonpath={.metadata.annotations.recover\\.io/started}"])).stdout).toBe(when);
    await kubectl(["annotate", "lhn", "k3s1", ...ns, "recover.io/started-"]);
    expect((await kubectl(["get", "lhn", "k3s1", ...ns, "-o", "jsonpath={.metadata.annotations}"])).stdout).toBe("");
  });
});
