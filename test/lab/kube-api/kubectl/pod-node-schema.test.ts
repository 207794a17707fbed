import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRequest, startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

const pod = (name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default}
spec: ${spec}
`;
const post = (path: string, body: object) =>
  httpRequest(lab.api.url, path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("core/v1 Pod writes are decoded and validated as the real server does", () => {
  it("refuses a wrong JSON type with Go's decoding error (400), through kubectl and raw HTTP", async () => {
    const kubectl = await lab.kubectl();
    const listless = await kubectl(["apply", "-f", "-"], { input: pod("listless", "{containers: busybox}") });
    expect(listless.code).toBe(1);
    expect(listless.stderr).toContain(
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container',
    );
    const raw = await post("/api/v1/namespaces/default/pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "numbered" },
      spec: { nodeName: "k3s1", containers: [{ name: "c", image: "busybox", stdin: "yes" }] },
    });
    expect([raw.status, raw.json.reason, raw.json.message]).toEqual([
      400,
      "BadRequest",
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Container.spec.containers.stdin of type bool',
    ]);
  });

  it("refuses unknown fields under kubectl's default strict validation, warns under warn, drops them under false", async () => {
    const kubectl = await lab.kubectl();
    const typo = "{containers: [{name: c, image: busybox, imagePullPolicyy: Always}], nodeNmae: k3s1}";
    const strict = await kubectl(["create", "-f", "-"], { input: pod("typo", typo) });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolicyy", unknown field "spec.nodeNmae"',
    );
    const warned = await kubectl(["create", "--validate=warn", "-f", "-"], { input: pod("warned", typo) });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('Warning: unknown field "spec.containers[0].imagePullPolicyy"');
    const ignored = await kubectl(["create", "--validate=false", "-f", "-"], { input: pod("ignored", typo) });
    expect([ignored.code, ignored.stderr]).toEqual([0, ""]);
    const stored = JSON.parse((await kubectl(["get", "pod", "ignored", "-o", "json"])).stdout);
    expect(stored.spec).toEqual({ containers: [{ name: "c", image: "busybox" }] });
  });

  it("refuses what ValidatePod refuses (422 with field paths): no containers, no image, a duplicate name, an unknown restartPolicy", async () => {
    const kubectl = await lab.kubectl();
    const bad = await kubectl(["apply", "-f", "-"], {
      input: pod("bad", "{restartPolicy: Sometimes, containers: [{name: c, image: busybox}, {name: c}]}"),
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The Pod "bad" is invalid:');
    expect(bad.stderr).toContain('* spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"');
    expect(bad.stderr).toContain('* spec.containers[1].name: Duplicate value: "c"');
    expect(bad.stderr).toContain("* spec.containers[1].image: Required value");
    const empty = await post("/api/v1/namespaces/default/pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "empty" }, spec: {} });
    expect(empty.status).toBe(422);
    expect(empty.json).toMatchObject({
      reason: "Invalid",
      message: 'Pod "empty" is invalid: spec.containers: Required value',
      details: {
        name: "empty",
        kind: "Pod",
        causes: [{ reason: "FieldValueRequired", field: "spec.containers", message: "Required value" }],
      },
    });
    expect(empty.json.details.group).toBeUndefined();
    // The lab's own pods (a DaemonSet's manager, a workload with a claim) pass.
    const good = await kubectl(["apply", "-f", "-"], {
      input: pod(
        "good",
        "{nodeName: k3s1, restartPolicy: Always, terminationGracePeriodSeconds: 30, containers: [{name: app, image: 'busybox:1.36'}], volumes: [{name: data, persistentVolumeClaim: {claimName: data}}], tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}]}",
      ),
    });
    expect([good.code, good.stderr]).toEqual([0, ""]);
  });
});

describe("core/v1 Node writes", () => {
  it("refuse a wrong type in the spec (400) and an unknown spec field under strict validation", async () => {
    await lab.api.control.load([{ apiVersion: "v1", kind: "Node", metadata: { name: "k3s7" } }]);
    const raw = await httpRequest(lab.api.url, "/api/v1/nodes/k3s7", {
      method: "PATCH",
      headers: { "Content-Type": "application/merge-patch+json" },
      body: JSON.stringify({ spec: { unschedulable: "yes" } }),
    });
    expect([raw.status, raw.json.message]).toEqual([
      400,
      'Node in version "v1" cannot be handled as a Node: json: cannot unmarshal string into Go struct field NodeSpec.spec.unschedulable of type bool',
    ]);
    const kubectl = await lab.kubectl();
    const typo = await kubectl(["create", "-f", "-"], {
      input: "apiVersion: v1\nkind: Node\nmetadata: {name: k3s6}\nspec: {unschedulabel: true}\n",
    });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(
      'Node in version "v1" cannot be handled as a Node: strict decoding error: unknown field "spec.unschedulabel"',
    );
    // cordon (the runbook's step) still works.
    expect((await kubectl(["cordon", "k3s7"])).code).toBe(0);
    expect((await kubectl(["get", "node", "k3s7", "-o", "jsonpath={.spec.unschedulable}"])).stdout).toBe("true");
  });
});
