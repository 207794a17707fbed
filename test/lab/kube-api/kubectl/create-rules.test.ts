import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

// What the real server refuses or resets when an object is created, seen through `kubectl apply -f`
// of a Longhorn Node CR file, as the longhorn-node runbook applies one from the GitOps repository.

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
  await lab.api.control.load([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "longhorn-system" } }]);
});
afterAll(async () => {
  await lab?.close();
});

const ns = ["-n", "longhorn-system"];
const nodeFile = (name: string, extra = "") => `apiVersion: longhorn.io/v1beta2
kind: Node
metadata:
  name: ${name}
  namespace: longhorn-system
${extra}spec:
  name: ${name}
  allowScheduling: true
  disks:
    disk-a: {path: /mnt/longhorn/sdf1, allowScheduling: true, evictionRequested: false}
`;
// A status block as found in a file dumped with `kubectl get -o yaml`: a stale disk UUID, Ready.
const dumpedStatus = `status:
  conditions: [{type: Ready, status: "True"}]
  diskStatus:
    disk-a: {diskUUID: stale-uuid}
`;

describe("creating a custom resource with a status subresource", () => {
  it("drops the status the file carries (client-side apply), as the real server does", async () => {
    const kubectl = await lab.kubectl();
    const created = await kubectl(["apply", "-f", "-"], { input: nodeFile("k3s1") + dumpedStatus });
    expect(created).toMatchObject({ code: 0, stdout: "node.longhorn.io/k3s1 created\n" });
    expect((await kubectl(["get", "lhn", "k3s1", ...ns, "-o", "jsonpath={.status}"])).stdout).toBe("");
  });

  it("drops it on a server-side apply create too, and owns no status field", async () => {
    const kubectl = await lab.kubectl();
    const created = await kubectl(["apply", "--server-side", "-f", "-"], { input: nodeFile("k3s2") + dumpedStatus });
    expect(created).toMatchObject({ code: 0, stdout: "node.longhorn.io/k3s2 serverside-applied\n" });
    const object = JSON.parse((await kubectl(["get", "lhn", "k3s2", ...ns, "-o", "json", "--show-managed-fields"])).stdout);
    expect(object.status).toBeUndefined();
    expect(object.spec.allowScheduling).toBe(true);
    expect(JSON.stringify(object.metadata.managedFields)).not.toContain("f:status");
  });
});

describe("object metadata the real server refuses on create", () => {
  it("creates from a file dumped with a resourceVersion (kubectl drops it), then the next apply conflicts on it", async () => {
    const kubectl = await lab.kubectl();
    const input = nodeFile("k3s3", '  resourceVersion: "4242"\n');
    expect(await kubectl(["apply", "-f", "-"], { input })).toMatchObject({ code: 0, stdout: "node.longhorn.io/k3s3 created\n" });
    // The stale resourceVersion is in last-applied-configuration, so the update patch carries it as a precondition.
    const again = await kubectl(["apply", "-f", "-"], { input: input.replace("allowScheduling: true\n", "allowScheduling: false\n") });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Operation cannot be fulfilled on nodes.longhorn.io "k3s3": the object has been modified');
  });

  it("refuses a name that is not a lowercase RFC 1123 subdomain with the real 422", async () => {
    const kubectl = await lab.kubectl();
    const result = await kubectl(["apply", "-f", "-"], { input: nodeFile("K3s_4") });
    expect(result.code).toBe(1);
    // kubectl names details.kind, which the real server gives without its group (the group is details.group).
    expect(result.stderr).toContain(
      `The Node "K3s_4" is invalid: metadata.name: Invalid value: "K3s_4": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    );
  });

  it("refuses invalid label keys and values, and non-string metadata", async () => {
    const kubectl = await lab.kubectl();
    const badKey = await kubectl(["apply", "-f", "-"], { input: nodeFile("k3s5", "  labels: {'bad key!': x}\n") });
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain('metadata.labels: Invalid value: "bad key!"');
    const badValue = await kubectl(["apply", "-f", "-"], { input: nodeFile("k3s5", "  labels: {storage: 'not ok!'}\n") });
    expect(badValue.code).toBe(1);
    expect(badValue.stderr).toContain('metadata.labels: Invalid value: "not ok!"');
    const badFinalizers = await kubectl(["apply", "-f", "-"], { input: nodeFile("k3s5", "  finalizers: longhorn.io\n") });
    expect(badFinalizers.code).toBe(1);
    expect((await kubectl(["get", "lhn", "k3s5", ...ns, "--ignore-not-found", "-o", "name"])).stdout).toBe("");
  });
});
