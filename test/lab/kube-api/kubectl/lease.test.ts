import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

const lease = (holder: string, renewTime: string, resourceVersion?: string) => `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: recover-k3s1
  namespace: kube-system
${resourceVersion ? `  resourceVersion: "${resourceVersion}"\n` : ""}spec:
  holderIdentity: ${holder}
  leaseDurationSeconds: 60
  renewTime: "${renewTime}"
`;

describe("a Lease as the recovery lock", () => {
  it("is created once; a renew carrying a stale resourceVersion gets a Conflict", async () => {
    const kubectl = await lab.kubectl();
    expect((await kubectl(["create", "-f", "-"], { input: lease("alice", "2025-01-01T02:00:00.000000Z") })).stdout).toBe(
      "lease.coordination.k8s.io/recover-k3s1 created\n",
    );
    const taken = await kubectl(["create", "-f", "-"], { input: lease("bob", "2025-01-01T02:00:01.000000Z") });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('leases.coordination.k8s.io "recover-k3s1" already exists');

    const rv = (await kubectl(["-n", "kube-system", "get", "lease", "recover-k3s1", "-o", "jsonpath={.metadata.resourceVersion}"])).stdout;
    const renewed = await kubectl(["replace", "-f", "-"], { input: lease("alice", "2025-01-01T02:00:20.000000Z", rv) });
    expect(renewed.stdout).toBe("lease.coordination.k8s.io/recover-k3s1 replaced\n");
    const stale = await kubectl(["replace", "-f", "-"], { input: lease("bob", "2025-01-01T02:00:21.000000Z", rv) });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(
      'Operation cannot be fulfilled on leases.coordination.k8s.io "recover-k3s1": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((await kubectl(["-n", "kube-system", "get", "lease", "recover-k3s1", "-o", "jsonpath={.spec.holderIdentity}"])).stdout).toBe(
      "alice",
    );
  });
});
