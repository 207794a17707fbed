import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualScheduler } from "../../../../src/lab/kube-api/index.js";
import { httpRequest, startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
const scheduler = new ManualScheduler("2025-03-01T12:00:00Z");
beforeAll(async () => {
  lab = await startTestKubeApi({ scheduler });
});
afterAll(async () => {
  await lab?.close();
});

const node = (name: string, ready: boolean) => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name },
  status: { conditions: [{ type: "Ready", status: ready ? "True" : "Unknown" }] },
});
const pod = (name: string, nodeName: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: { nodeName, containers: [{ name: "app", image: "nginx" }] },
  status: { phase: "Running" },
});

// Runbook step: force-delete the pods stuck Terminating on the failed node.
describe("kubectl delete pod on a node whose kubelet is down", () => {
  it("leaves the pod Terminating however long it waits; --grace-period=0 --force removes it", async () => {
    await lab.api.control.load([node("down", false), pod("stuck", "down")]);
    const kubectl = await lab.kubectl();
    expect((await kubectl(["delete", "pod", "stuck", "--wait=false"])).stdout).toBe('pod "stuck" deleted\n');
    scheduler.advance(3_600_000);
    expect((await kubectl(["get", "pod", "stuck", "--no-headers"])).stdout).toMatch(/^stuck\s+0\/1\s+Terminating\s/);
    const forced = await kubectl(["delete", "pod", "stuck", "--grace-period=0", "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe('pod "stuck" force deleted\n');
    expect((await kubectl(["get", "pod", "stuck"])).stderr).toBe('Error from server (NotFound): pods "stuck" not found\n');
  });

  it("lets the kubelet of a Ready node remove the pod when its grace period ends", async () => {
    await lab.api.control.load([node("up", true), pod("leaving", "up")]);
    const kubectl = await lab.kubectl();
    await kubectl(["delete", "pod", "leaving", "--wait=false", "--grace-period=10"]);
    scheduler.advance(9_000);
    expect((await kubectl(["get", "pod", "leaving", "-o", "name"])).stdout).toBe("pod/leaving\n");
    scheduler.advance(1_000);
    expect((await kubectl(["get", "pod", "leaving"])).code).toBe(1);
  });
});

describe("namespaces that cannot go", () => {
  it("refuses to delete default, kube-system and kube-public (403)", async () => {
    const kubectl = await lab.kubectl();
    for (const name of ["default", "kube-system", "kube-public"]) {
      const result = await kubectl(["delete", "namespace", name, "--wait=false"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`Error from server (Forbidden): namespaces "${name}" is forbidden: this namespace may not be deleted\n`);
    }
    expect((await kubectl(["get", "ns", "-o", "name"])).stdout).toContain("namespace/kube-system\n");
  });

  it("answers DELETE on the namespaces collection with 405 and deletes nothing", async () => {
    const result = await httpRequest(lab.api.url, "/api/v1/namespaces", { method: "DELETE" });
    expect(result.status).toBe(405);
    expect(result.json).toMatchObject({ kind: "Status", reason: "MethodNotAllowed", code: 405 });
    const kubectl = await lab.kubectl();
    const left = (await kubectl(["get", "ns", "-o", "name"])).stdout;
    for (const name of ["default", "kube-node-lease", "kube-public", "kube-system"]) expect(left).toContain(`namespace/${name}\n`);
  });
});
