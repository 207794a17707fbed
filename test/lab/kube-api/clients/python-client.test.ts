import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { longhornNodeValidator } from "../../../../src/lab/kube-api/index.js";
import { runProgram } from "../../../helpers/cli.js";
import { type Json, startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";
import { DEBIAN_PYTHON, ensurePythonKubernetes } from "../../../helpers/python-kubernetes.js";

// The official Python client (kubernetes 22.6 from Debian), driving the emulator as an operator's script would.
const SCRIPT = fileURLToPath(new URL("./python_client.py", import.meta.url));

let lab: TestKubeApi;
beforeAll(async () => {
  await ensurePythonKubernetes();
  lab = await startTestKubeApi();
  lab.api.admission.register(longhornNodeValidator({ version: "1.9" }));
  await lab.api.control.load([
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "longhorn-system" } },
    // A node as a test fixture writes it: nodeInfo partial (the server completes it, as Go does).
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "k3s1" },
      status: { conditions: [{ type: "Ready", status: "True" }], nodeInfo: { kubeletVersion: "v1.32.5+k3s1" } },
    },
  ]);
}, 120_000);
afterAll(async () => {
  await lab?.close();
});

async function python(...args: string[]): Promise<Json> {
  const result = await runProgram(DEBIAN_PYTHON, [SCRIPT, lab.kubeconfig, ...args], { timeout: 60_000, input: "" });
  if (result.code !== 0) throw new Error(`python_client.py ${args.join(" ")} exited ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe("the official Python client", () => {
  it("creates, patches (merge and JSON patch), replaces, deletes and reads nodes; refused writes carry the real Status", async () => {
    const out = await python("crud");
    expect(out.created).toMatchObject({ name: "settings", uid: true });
    expect(out.patched).toEqual({ a: "1", b: "2" });
    expect(out.jsonpatched).toEqual({ b: "2" });
    expect(out.replaced).toEqual({ b: "2", c: "3" });
    expect(out.stale.status).toBe(409);
    expect(out.deleted).toBe("Success");
    expect(out.gone).toBe(404);
    expect(out.node).toEqual({ kubelet: "v1.32.5+k3s1", ready: ["True"] });
    expect(out.nodes).toContain("k3s1");
    expect(out.badPod.status).toBe(422);
    expect(out.badPod.body).toMatchObject({ reason: "Invalid", details: { kind: "Pod", name: "bad" } });
    expect(out.badPod.body.details.causes.map((c: Json) => c.field)).toEqual(["spec.restartPolicy", "spec.containers[0].image"]);
    expect(out.typoPod).toEqual({ containers: [{ name: "c", image: "busybox" }] });
    expect(out.pod).toEqual({ phase: "Pending", node: "k3s1" });
  });

  it("creates, patches, lists and deletes a nodes.longhorn.io object; Longhorn's webhook refusal reaches it", async () => {
    const out = await python("longhorn");
    expect(out).toMatchObject({ created: "k3s2", patched: false, listed: ["k3s2"], deleted: ["Success", "k3s2", "nodes"] });
    expect(out.unsynced.status).toBe(403);
    expect(out.unsynced.body.message).toBe(
      'admission webhook "validator.longhorn.io" denied the request: spec and status of disks on node k3s2 are being syncing and please retry later.',
    );
    expect(out.refused.status).toBe(422);
    expect(out.refused.body).toMatchObject({
      reason: "Invalid",
      message:
        'admission webhook "validator.longhorn.io" denied the request: Delete Disk on node sdf1 error: Please disable the disk /mnt/longhorn/sdf1 and remove all replicas and backing images first ',
    });
  });

  it("relists like a reflector after compaction: 410 for the old resourceVersion, then a fresh list and a watch from it", async () => {
    const { rv } = await python("list-rv");
    await lab.api.control.load([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "later", namespace: "py" } }]);
    lab.api.control.compact();
    const out = await python("reflector", rv);
    expect(out.exact.status).toBe(410);
    expect(out.exact.body).toMatchObject({ reason: "Expired", message: "The resourceVersion for the provided list is too old." });
    expect(out.relist).toBe(410);
    expect(out.items).toEqual(["later", "one", "two"]);
    expect(out.events).toEqual([
      ["ADDED", "three"],
      ["DELETED", "one"],
    ]);
    expect(out.staleWatch).toBe(410);
  });
});
