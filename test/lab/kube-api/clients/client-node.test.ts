import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { longhornNodeValidator } from "../../../../src/lab/kube-api/index.js";
import { eventually } from "../../../helpers/eventually.js";
import { type Json, startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

// @kubernetes/client-node (the official JavaScript client), driving the emulator as a Node controller would.
let lab: TestKubeApi;
let core: CoreV1Api;
let custom: CustomObjectsApi;
let kubeConfig: KubeConfig;
beforeAll(async () => {
  // TLS with the emulator's CA: client-node refuses plain HTTP unless told to skip TLS verification.
  lab = await startTestKubeApi({ tls: true });
  lab.api.admission.register(longhornNodeValidator({ version: "1.9" }));
  await lab.api.control.load([
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "longhorn-system" } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "js" } },
    { apiVersion: "v1", kind: "Node", metadata: { name: "k3s1" }, status: { nodeInfo: { kubeletVersion: "v1.32.5+k3s1" } } },
  ]);
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(lab.kubeconfig);
  core = kubeConfig.makeApiClient(CoreV1Api);
  custom = kubeConfig.makeApiClient(CustomObjectsApi);
});
afterAll(async () => {
  await lab?.close();
});

/** The code and Status body of a refused call. */
async function refused(call: () => Promise<unknown>): Promise<{ code: number; body: Json }> {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    return { code: error.code, body: typeof error.body === "string" ? JSON.parse(error.body) : error.body };
  }
  throw new Error("the call was not refused");
}

const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const strategic = setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch);
const jsonPatch = setHeaderOptions("Content-Type", PatchStrategy.JsonPatch);

describe("@kubernetes/client-node", () => {
  it("creates, patches three ways, replaces, deletes and reads nodes; refusals are ApiExceptions with the real Status", async () => {
    const namespace = "js";
    const made = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "settings" }, data: { a: "1" } } });
    expect(made.metadata?.uid).toBeTruthy();
    expect((await core.patchNamespacedConfigMap({ name: "settings", namespace, body: { data: { b: "2" } } }, merge)).data).toEqual({
      a: "1",
      b: "2",
    });
    expect((await core.patchNamespacedConfigMap({ name: "settings", namespace, body: { data: { c: "3" } } }, strategic)).data).toEqual({
      a: "1",
      b: "2",
      c: "3",
    });
    const removed = await core.patchNamespacedConfigMap(
      { name: "settings", namespace, body: [{ op: "remove", path: "/data/a" }] },
      jsonPatch,
    );
    expect(removed.data).toEqual({ b: "2", c: "3" });
    const replaced = await core.replaceNamespacedConfigMap({ name: "settings", namespace, body: { ...removed, data: { d: "4" } } });
    expect(replaced.data).toEqual({ d: "4" });
    const stale = await refused(() => core.replaceNamespacedConfigMap({ name: "settings", namespace, body: removed }));
    expect([stale.code, stale.body.reason]).toEqual([409, "Conflict"]);
    const deleted = await core.deleteNamespacedConfigMap({ name: "settings", namespace });
    expect(deleted).toMatchObject({ status: "Success", details: { name: "settings", kind: "configmaps" } });
    expect((await refused(() => core.readNamespacedConfigMap({ name: "settings", namespace }))).code).toBe(404);
    const node = await core.readNode({ name: "k3s1" });
    expect(node.status?.nodeInfo?.kubeletVersion).toBe("v1.32.5+k3s1");
    expect(node.status?.nodeInfo?.architecture).toBe("");
  });

  it("gets a bad pod refused (422 with field paths) and a good one Pending", async () => {
    const namespace = "js";
    const bad = await refused(() =>
      core.createNamespacedPod({ namespace, body: { metadata: { name: "bad" }, spec: { containers: [{ name: "c" } as never] } } }),
    );
    expect(bad.code).toBe(422);
    expect(bad.body.details).toMatchObject({ kind: "Pod", name: "bad", causes: [{ field: "spec.containers[0].image" }] });
    // client-node serialises through its typed models, so an unknown field never reaches the server, Strict or not.
    const typo = await core.createNamespacedPod({
      namespace,
      fieldValidation: "Strict",
      body: { metadata: { name: "typo" }, spec: { containers: [{ name: "c", image: "busybox" }], nodeNmae: "k3s1" } as never },
    });
    expect(typo.spec).toEqual({ containers: [{ name: "c", image: "busybox" }] });
    const pod = await core.createNamespacedPod({
      namespace,
      body: { metadata: { name: "app" }, spec: { nodeName: "k3s1", containers: [{ name: "app", image: "busybox:1.36" }] } },
    });
    expect(pod.status?.phase).toBe("Pending");
  });

  it("writes a nodes.longhorn.io object; Longhorn's webhook refusal arrives as the real 422", async () => {
    const at = { group: "longhorn.io", version: "v1beta2", namespace: "longhorn-system", plural: "nodes" };
    const disk = { path: "/mnt/longhorn/sdf1", diskType: "filesystem", allowScheduling: true };
    await custom.createNamespacedCustomObject({
      ...at,
      body: { apiVersion: "longhorn.io/v1beta2", kind: "Node", metadata: { name: "k3s3" }, spec: { name: "k3s3", disks: { sdf1: disk } } },
    });
    await custom.patchNamespacedCustomObjectStatus({ ...at, name: "k3s3", body: { status: { diskStatus: { sdf1: {} } } } }, merge);
    const patched = await custom.patchNamespacedCustomObject({ ...at, name: "k3s3", body: { spec: { allowScheduling: false } } }, merge);
    expect(patched.spec.allowScheduling).toBe(false);
    const listed = await custom.listNamespacedCustomObject(at);
    expect(listed.items.map((o: Json) => o.metadata.name)).toEqual(["k3s3"]);
    const refusal = await refused(() =>
      custom.patchNamespacedCustomObject({ ...at, name: "k3s3", body: { spec: { disks: { sdf1: null } } } }, merge),
    );
    expect(refusal.code).toBe(422);
    expect(refusal.body.message).toBe(
      'admission webhook "validator.longhorn.io" denied the request: Delete Disk on node sdf1 error: Please disable the disk /mnt/longhorn/sdf1 and remove all replicas and backing images first ',
    );
    expect(await custom.deleteNamespacedCustomObject({ ...at, name: "k3s3" })).toMatchObject({ status: "Success" });
  });

  it("keeps an informer in step, and it relists after a compaction expired its resourceVersion", async () => {
    const namespace = "informed";
    await lab.api.control.load([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "first", namespace } }]);
    const informer = makeInformer<V1ConfigMap>(kubeConfig, `/api/v1/namespaces/${namespace}/configmaps`, () =>
      core.listNamespacedConfigMap({ namespace }),
    );
    const seen: string[] = [];
    const errors: unknown[] = [];
    informer.on("add", (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on("update", (o) => seen.push(`update ${o.metadata?.name} ${JSON.stringify(o.data ?? {})}`));
    informer.on("delete", (o) => seen.push(`delete ${o.metadata?.name}`));
    // Stopping aborts the open watch, which the informer reports as an AbortError: not a server's answer.
    informer.on("error", (e) => {
      if ((e as Error | undefined)?.name !== "AbortError") errors.push(e);
    });
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "second" } } });
      await core.patchNamespacedConfigMap({ name: "first", namespace, body: { data: { v: "2" } } }, merge);
      await core.deleteNamespacedConfigMap({ name: "second", namespace });
      expect(await eventually(() => seen.length >= 4)).toBe(true);
      expect(seen).toEqual(["add first", "add second", 'update first {"v":"2"}', "delete second"]);
      // Stopped, it misses a change; compaction then expires its resourceVersion, so on start its watch gets 410 and it relists.
      await informer.stop();
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "third" } } });
      lab.api.control.compact();
      await informer.start();
      expect(await eventually(() => informer.list(namespace).some((o) => o.metadata?.name === "third"))).toBe(true);
      expect(seen).toContain("add third");
      const watches = lab.api.control
        .requests()
        .filter((r) => r.method === "GET" && r.path.endsWith(`/namespaces/${namespace}/configmaps`));
      // Two lists: the first start's, and the relist the 410 forced (a watch resumed from history would need none).
      expect(watches.filter((r) => r.query.watch === undefined).length).toBe(2);
      expect(watches.filter((r) => r.query.watch === "true").length).toBeGreaterThanOrEqual(3);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });

  it("relists like a client-go reflector: a paged list at an expired resourceVersion is 410, a fresh one serves", async () => {
    const namespace = "js";
    const { metadata } = await core.listNamespacedConfigMap({ namespace });
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "after" } } });
    lab.api.control.compact();
    const expired = await refused(() =>
      core.listNamespacedConfigMap({ namespace, resourceVersion: metadata?.resourceVersion, limit: 500 }),
    );
    expect([expired.code, expired.body.reason, expired.body.message]).toEqual([
      410,
      "Expired",
      "The resourceVersion for the provided list is too old.",
    ]);
    const fresh = await core.listNamespacedConfigMap({ namespace, limit: 500 });
    expect(fresh.items.map((o) => o.metadata?.name)).toContain("after");
  });
});
