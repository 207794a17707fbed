// The run's Lease against the real kubectl and the emulator: renewal and release do not race.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEASE_NAMESPACE, leaseName, takeLeases } from "../../src/engine/lease.js";
import { KubectlTransport } from "../../src/transports/kubectl.js";
import type { ExecRequest, ExecResult, Transport } from "../../src/transports/types.js";
import { eventually } from "../helpers/eventually.js";
import { startTestKubeApi, type TestKubeApi } from "../helpers/kube-api.js";

let kube: TestKubeApi;
let caches = 0;
beforeAll(async () => {
  kube = await startTestKubeApi({ tls: true, token: "lab-token" });
});
afterAll(async () => {
  await kube?.close();
});

/** The real kubectl transport, whose lease reads can be held at a gate (to catch a renewal in flight). */
function gatedKubectl() {
  const real = new KubectlTransport({
    kubeconfig: kube.kubeconfig,
    context: "lab",
    env: { ...process.env, KUBECONFIG: "", HOME: kube.dir, KUBECACHEDIR: path.join(kube.dir, `lease-cache-${++caches}`) },
  });
  const gate = { closed: false, waiting: [] as (() => void)[], reads: 0 };
  const transport = Object.assign(Object.create(real) as Transport, {
    async exec(request: ExecRequest): Promise<ExecResult> {
      const argv = "argv" in request.command ? request.command.argv : [];
      if (argv[0] === "get") {
        gate.reads++;
        if (gate.closed) await new Promise<void>((resolve) => gate.waiting.push(resolve));
      }
      return real.exec(request);
    },
  });
  return { transport, gate };
}

describe("takeLeases", () => {
  it("a renewal in flight when the run releases its lease neither says the lease is gone nor brings it back", async () => {
    const { transport, gate } = gatedKubectl();
    const notices: string[] = [];
    const release = await takeLeases(transport, ["k3s1"], "host/1/run-a", "run-a", (m) => notices.push(m), Date.now, 20);
    const readsAtStart = gate.reads;
    gate.closed = true;
    expect(await eventually(() => gate.waiting.length === 1)).toBe(true);
    expect(gate.reads).toBe(readsAtStart + 1);
    const released = release();
    gate.closed = false;
    for (const open of gate.waiting.splice(0)) open();
    await released;
    expect(notices).toEqual([]);
    const kubectl = await kube.kubectl();
    const after = await kubectl(["get", "lease", leaseName("k3s1"), "-n", LEASE_NAMESPACE]);
    expect(after.stderr).toContain("not found");
  });

  it("a lease deleted under the run is reported gone, a failed read only as not renewed now", async () => {
    const { transport } = gatedKubectl();
    const notices: string[] = [];
    const release = await takeLeases(transport, ["k3s2"], "host/1/run-b", "run-b", (m) => notices.push(m), Date.now, 20);
    const fault = kube.api.control.inject({
      path: `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NAMESPACE}/leases/${leaseName("k3s2")}`,
      times: 1,
      status: 500,
      message: "boom",
    });
    expect(await eventually(() => notices.some((n) => n.startsWith(`cannot renew the lease ${leaseName("k3s2")} now`)))).toBe(true);
    fault.clear();
    expect(notices.some((n) => n.includes("no longer this run's"))).toBe(false);
    const kubectl = await kube.kubectl();
    expect((await kubectl(["delete", "lease", leaseName("k3s2"), "-n", LEASE_NAMESPACE])).code).toBe(0);
    expect(await eventually(() => notices.includes(`the lease ${leaseName("k3s2")} is no longer this run's (gone)`))).toBe(true);
    await release();
  });
});
