import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWatchOn, startTestKubeApi, type TestKubeApi, waitForRequest } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

const fluxNs = ["-n", "flux-system"];
const ready = (status: string, observedGeneration: number) =>
  JSON.stringify({
    status: {
      conditions: [
        {
          type: "Ready",
          status,
          reason: "ReconciliationSucceeded",
          message: "Applied",
          observedGeneration,
          lastTransitionTime: "2025-01-01T00:00:00Z",
        },
      ],
    },
  });

describe("kubectl wait --for=condition=Ready", () => {
  it("waits for the condition, ignoring it while observedGeneration lags metadata.generation", async () => {
    await lab.api.control.load([
      {
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        metadata: { name: "infra", namespace: "flux-system" },
        spec: { interval: "10m", path: "./infra", suspend: true },
      },
    ]);
    const kubectl = await lab.kubectl();
    // A spec change bumps generation to 2.
    await kubectl(["patch", "ks", "infra", ...fluxNs, "--type=merge", "-p", '{"spec":{"suspend":false}}']);
    const generation = (await kubectl(["get", "ks", "infra", ...fluxNs, "-o", "jsonpath={.metadata.generation}"])).stdout;
    expect(generation).toBe("2");

    const status = await kubectl(["patch", "ks", "infra", ...fluxNs, "--subresource=status", "--type=merge", "-p", ready("True", 1)]);
    expect(status.code).toBe(0);
    const stale = await kubectl(["wait", "--for=condition=Ready", "ks/infra", ...fluxNs, "--timeout=2s"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("timed out waiting for the condition");

    lab.api.control.clearRequests();
    const waiting = kubectl(["wait", "--for=condition=Ready", "ks/infra", ...fluxNs, "--timeout=20s"]);
    await waitForRequest(lab.api, isWatchOn("/kustomizations"));
    await kubectl(["patch", "ks", "infra", ...fluxNs, "--subresource=status", "--type=merge", "-p", ready("True", 2)]);
    const done = await waiting;
    expect(done).toMatchObject({ code: 0, stdout: "kustomization.kustomize.toolkit.fluxcd.io/infra condition met\n" });
  });

  it("returns at once when the condition already holds, and fails on False within the timeout", async () => {
    await lab.api.control.load([
      {
        apiVersion: "helm.toolkit.fluxcd.io/v2",
        kind: "HelmRelease",
        metadata: { name: "longhorn", namespace: "flux-system", generation: 1 },
        spec: { interval: "1h" },
        status: { conditions: [{ type: "Ready", status: "True", observedGeneration: 1, reason: "UpgradeSucceeded", message: "ok" }] },
      },
    ]);
    const kubectl = await lab.kubectl();
    expect((await kubectl(["wait", "--for=condition=Ready", "hr/longhorn", ...fluxNs, "--timeout=10s"])).code).toBe(0);
    await kubectl(["patch", "hr", "longhorn", ...fluxNs, "--subresource=status", "--type=merge", "-p", ready("False", 1)]);
    expect((await kubectl(["wait", "--for=condition=Ready", "hr/longhorn", ...fluxNs, "--timeout=1s"])).code).toBe(1);
  });
});

// client-go's WatchList (sendInitialEvents) waits for the initial-events-end bookmark before it looks.
describe("kubectl wait as a WatchList client", () => {
  it("sees a node that is already Ready", async () => {
    await lab.api.control.load([
      { apiVersion: "v1", kind: "Node", metadata: { name: "k3s7" }, status: { conditions: [{ type: "Ready", status: "True" }] } },
    ]);
    const kubectl = await lab.kubectl();
    lab.api.control.clearRequests();
    const waited = await kubectl(["wait", "--for=condition=Ready", "node/k3s7", "--timeout=10s"], {
      env: { KUBE_FEATURE_WatchListClient: "true" },
    });
    expect(waited).toMatchObject({ code: 0, stdout: "node/k3s7 condition met\n" });
    expect(lab.api.control.requests().some((r) => r.query.sendInitialEvents === "true")).toBe(true);
  });
});
