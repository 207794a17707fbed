import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { longhornNodeValidator } from "../../../../src/lab/kube-api/index.js";
import { httpRequest, startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
let unregister: (() => void) | undefined;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterEach(() => unregister?.());
afterAll(async () => {
  await lab?.close();
});

const ns = ["-n", "longhorn-system"];
const disk = (path: string, allowScheduling: boolean) => ({
  path,
  allowScheduling,
  evictionRequested: false,
  storageReserved: 0,
  tags: [],
});
function lhNode(name: string, options: { ready?: boolean; reason?: string; scheduled?: number; unsynced?: boolean } = {}) {
  return {
    apiVersion: "longhorn.io/v1beta2",
    kind: "Node",
    metadata: { name, namespace: "longhorn-system", finalizers: ["longhorn.io"] },
    spec: {
      name,
      allowScheduling: true,
      evictionRequested: false,
      disks: { sdf1: disk("/mnt/longhorn/sdf1", true), sdg1: disk("/mnt/longhorn/sdg1", false) },
    },
    status: {
      conditions: [{ type: "Ready", status: options.ready === false ? "False" : "True", reason: options.reason ?? "" }],
      diskStatus: options.unsynced ? { sdf1: {} } : { sdf1: { storageScheduled: 0 }, sdg1: { storageScheduled: options.scheduled ?? 0 } },
    },
  };
}
const denied = (message: string) => `admission webhook "validator.longhorn.io" denied the request: ${message}`;
// kubectl prints a 422's causes, which carry the webhook's own message, as it does against a real cluster.
const refused = (message: string) => `The request is invalid: : ${message}\n`;

describe("Longhorn's node webhook (1.9)", () => {
  it("refuses to remove a disk that is still schedulable or holds replicas, with Longhorn's words", async () => {
    unregister = lab.api.admission.register(longhornNodeValidator({ version: "1.9" }));
    await lab.api.control.load([lhNode("k3s1", { scheduled: 1024 })]);
    const kubectl = await lab.kubectl();
    const patch = (path: string) => kubectl(["patch", "lhn", "k3s1", ...ns, "--type=json", "-p", JSON.stringify([{ op: "remove", path }])]);
    const schedulable = await patch("/spec/disks/sdf1");
    expect(schedulable.code).toBe(1);
    expect(schedulable.stderr).toBe(
      refused(
        "Delete Disk on node sdf1 error: Please disable the disk /mnt/longhorn/sdf1 and remove all replicas and backing images first ",
      ),
    );
    const holding = await patch("/spec/disks/sdg1");
    expect(holding.stderr).toContain("Delete Disk on node sdg1 error: Please disable the disk /mnt/longhorn/sdg1");
    // Disabled first, the disk can go once it holds nothing.
    await kubectl(["patch", "lhn", "k3s1", ...ns, "--type=merge", "-p", '{"spec":{"disks":{"sdf1":{"allowScheduling":false}}}}']);
    expect((await patch("/spec/disks/sdf1")).code).toBe(0);
    expect((await kubectl(["get", "lhn", "k3s1", ...ns, "-o", "jsonpath={.spec.disks.sdf1}"])).stdout).toBe("");
  });

  it("refuses eviction while scheduling is allowed, and disk writes before the node controller synced them (403)", async () => {
    unregister = lab.api.admission.register(longhornNodeValidator({ version: "1.9" }));
    await lab.api.control.load([lhNode("k3s2"), lhNode("k3s3", { unsynced: true })]);
    const kubectl = await lab.kubectl();
    const evict = await kubectl(["patch", "lhn", "k3s2", ...ns, "--type=merge", "-p", '{"spec":{"evictionRequested":true}}']);
    expect(evict.code).toBe(1);
    expect(evict.stderr).toBe(
      refused("need to disable scheduling on node k3s2 for node eviction, or cancel eviction to enable scheduling on this node"),
    );
    const unsynced = await kubectl(["patch", "lhn", "k3s3", ...ns, "--type=merge", "-p", '{"spec":{"allowScheduling":false}}']);
    expect(unsynced.stderr).toBe(
      `Error from server (Forbidden): ${denied("spec and status of disks on node k3s3 are being syncing and please retry later.")}\n`,
    );
  });

  it("reads a disk's type from diskType, as Longhorn's JSON spells it: block refused without v2, a type change refused", async () => {
    unregister = lab.api.admission.register(longhornNodeValidator({ version: "1.9" }));
    const block = lhNode("k3s8");
    block.spec.disks.sdf1 = { ...block.spec.disks.sdf1, diskType: "block" } as typeof block.spec.disks.sdf1;
    const raw = await httpRequest(lab.api.url, "/apis/longhorn.io/v1beta2/namespaces/longhorn-system/nodes", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(block),
    });
    expect(raw.json).toMatchObject({
      code: 422,
      message: denied("disk sdf1 type block is not supported since v2 data engine is disabled"),
    });
    const filesystem = lhNode("k3s9");
    for (const d of Object.values(filesystem.spec.disks)) Object.assign(d, { diskType: "filesystem" });
    await lab.api.control.load([filesystem]);
    const kubectl = await lab.kubectl();
    const toBlock = () =>
      kubectl(["patch", "lhn", "k3s9", ...ns, "--type=merge", "-p", '{"spec":{"disks":{"sdg1":{"diskType":"block"}}}}']);
    const changed = await toBlock();
    expect(changed.stderr).toBe(
      refused("update disk on node k3s9 error: The disk sdg1(/mnt/longhorn/sdg1) is a block device, but the SPDK feature is not enabled"),
    );
    const v2 = { apiVersion: "longhorn.io/v1beta2", kind: "Setting", metadata: { name: "v2-data-engine", namespace: "longhorn-system" } };
    await lab.api.control.load([{ ...v2, value: "true" }]);
    try {
      const retyped = await toBlock();
      expect(retyped.stderr).toBe(refused("update disk on node k3s9 error: The disk sdg1(/mnt/longhorn/sdg1) type is not allow to change"));
    } finally {
      await kubectl(["delete", "settings.longhorn.io", "v2-data-engine", ...ns]);
    }
  });

  it("lets a node be deleted on 1.9, and its longhorn.io finalizer be removed while it is deleted", async () => {
    unregister = lab.api.admission.register(longhornNodeValidator({ version: "1.9" }));
    await lab.api.control.load([lhNode("k3s4", { scheduled: 5 })]);
    const kubectl = await lab.kubectl();
    expect((await kubectl(["delete", "lhn", "k3s4", ...ns, "--wait=false"])).code).toBe(0);
    const released = await kubectl(["patch", "lhn", "k3s4", ...ns, "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]']);
    expect(released.code).toBe(0);
    expect((await kubectl(["get", "lhn", "k3s4", ...ns])).code).toBe(1);
  });
});

describe("Longhorn's node webhook (1.10)", () => {
  it("refuses to delete a node that is Ready or runs replicas, and allows it once its Kubernetes node is gone", async () => {
    unregister = lab.api.admission.register(longhornNodeValidator({ version: "1.10" }));
    await lab.api.control.load([
      lhNode("k3s5"),
      {
        ...lhNode("k3s6", { ready: false, reason: "KubernetesNodeGone" }),
        spec: { name: "k3s6", allowScheduling: false, disks: {} },
        status: { conditions: [{ type: "Ready", status: "False", reason: "KubernetesNodeGone" }], diskStatus: {} },
      },
    ]);
    const kubectl = await lab.kubectl();
    const ready = await kubectl(["delete", "lhn", "k3s5", ...ns, "--wait=false"]);
    expect(ready.code).toBe(1);
    expect(ready.stderr).toBe(
      refused(
        "could not delete node k3s5 with node ready condition is True, reason is , node schedulable true, and 0 replica, 0 engine running on it",
      ),
    );
    expect((await kubectl(["delete", "lhn", "k3s6", ...ns, "--wait=false"])).code).toBe(0);
  });

  it("refuses an empty spec.name on update", async () => {
    unregister = lab.api.admission.register(longhornNodeValidator({ version: "1.10" }));
    await lab.api.control.load([lhNode("k3s7")]);
    const kubectl = await lab.kubectl();
    const emptied = await kubectl(["patch", "lhn", "k3s7", ...ns, "--type=merge", "-p", '{"spec":{"name":""}}']);
    expect(emptied.stderr).toBe(refused("node name is invalid. You can't have a Spec.Name empty"));
    const raw = await httpRequest(lab.api.url, "/apis/longhorn.io/v1beta2/namespaces/longhorn-system/nodes/k3s7", {
      method: "PATCH",
      headers: { "Content-Type": "application/merge-patch+json" },
      body: '{"spec":{"name":""}}',
    });
    expect(raw.json).toMatchObject({
      code: 422,
      reason: "Invalid",
      message: denied("node name is invalid. You can't have a Spec.Name empty"),
      details: { causes: [{ reason: "FieldValueInvalid", message: "node name is invalid. You can't have a Spec.Name empty", field: "" }] },
    });
  });
});
