// flux-suspend and flux-resume, run by the real CLI with the real kubectl against the emulator, Flux
// simulated on its controller platform (test/runbooks/support/fake-flux.ts).
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { startCluster, type TestCluster } from "./support/cluster.js";
import { fluxObject, startFakeFlux } from "./support/fake-flux.js";

const FLUX = [
  { kind: "Kustomization", name: "flux-system" },
  { kind: "Kustomization", name: "infrastructure-storage", parent: "flux-system" },
  { kind: "Kustomization", name: "monitoring", parent: "flux-system" },
  { kind: "HelmRelease", name: "longhorn", namespace: "longhorn-system", parent: "infrastructure-storage" },
];

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

async function fluxCluster(options: Parameters<typeof startFakeFlux>[1] = {}, suspended: string[] = []): Promise<TestCluster> {
  const c = await startCluster({ inventory: { nodes: { k3s1: { ssh: { host: "k3s1" } } }, flux: FLUX } });
  await c.load([
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "flux-system" } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "longhorn-system" } },
    ...FLUX.map((o) =>
      fluxObject(
        o.kind as "Kustomization",
        o.namespace ?? "flux-system",
        o.name,
        suspended.includes(o.name) ? { spec: { suspend: true, path: "./" } } : {},
      ),
    ),
  ]);
  startFakeFlux(c.kube.api, options);
  // Every object Ready for its generation before the runbooks start.
  const ready = () =>
    FLUX.every((o) => {
      const got = c.get(
        o.kind === "Kustomization" ? "kustomize.toolkit.fluxcd.io/v1" : "helm.toolkit.fluxcd.io/v2",
        o.kind,
        o.name,
        o.namespace ?? "flux-system",
      );
      return (
        suspended.includes(o.name) ||
        (got?.status as { observedGeneration?: number } | undefined)?.observedGeneration === got?.metadata.generation
      );
    });
  expect(await eventually(ready, 50, 100)).toBe(true);
  return c;
}

const fluxGet = async (c: TestCluster, kind: string, namespace: string, name: string) => {
  const res = await c.kubectl(["get", kind, name, "-n", namespace, "-o", "json"]);
  return JSON.parse(res.stdout) as {
    spec: { suspend?: boolean };
    metadata: { annotations?: Record<string, string>; generation: number };
    status?: Record<string, unknown>;
  };
};

describe("flux-suspend and flux-resume", () => {
  it("suspend parents first and record the scope; resume only what was recorded, children first, Ready for the generation", async () => {
    cluster = await fluxCluster({ unhealthy: [] }, ["monitoring"]);
    const suspend = await cluster.recover(["flux-suspend", "longhorn-node.k3s1"]);
    expect(suspend.code, suspend.stderr + suspend.stdout).toBe(0);
    // Parents first: the order of the patches the emulator saw.
    const patched = cluster.kube.api.control
      .requests()
      .filter((r) => r.method === "PATCH")
      .map((r) => r.path.split("/").at(-1));
    expect(patched).toEqual(["flux-system", "infrastructure-storage", "longhorn"]);
    const storage = await fluxGet(cluster, "kustomizations.kustomize.toolkit.fluxcd.io", "flux-system", "infrastructure-storage");
    expect(storage.spec.suspend).toBe(true);
    expect(storage.metadata.annotations?.["recover/suspended-by"]).toBe("longhorn-node.k3s1");
    // monitoring was suspended before: left as it is, not recorded.
    const monitoring = await fluxGet(cluster, "kustomizations.kustomize.toolkit.fluxcd.io", "flux-system", "monitoring");
    expect(monitoring.metadata.annotations?.["recover/suspended-by"]).toBeUndefined();
    expect(suspend.stdout).toContain("already suspended (left as it is, and not recorded as this run's)");

    cluster.kube.api.control.clearRequests();
    const resume = await cluster.recover(["flux-resume", "longhorn-node.k3s1"]);
    expect(resume.code, resume.stderr + resume.stdout).toBe(0);
    const resumed = cluster.kube.api.control
      .requests()
      .filter((r) => r.method === "PATCH" && !r.path.includes("/status"))
      .map((r) => r.path.split("/").at(-1));
    // Children first (reverse order), then the records dropped (parents first).
    expect(resumed).toEqual(["longhorn", "infrastructure-storage", "flux-system", "flux-system", "infrastructure-storage", "longhorn"]);
    for (const [kind, ns, name] of [
      ["kustomizations.kustomize.toolkit.fluxcd.io", "flux-system", "flux-system"],
      ["helmreleases.helm.toolkit.fluxcd.io", "longhorn-system", "longhorn"],
    ] as const) {
      const o = await fluxGet(cluster, kind, ns, name);
      expect(o.spec.suspend).toBe(false);
      expect(o.metadata.annotations?.["recover/suspended-by"]).toBeUndefined();
      expect(o.status?.lastHandledReconcileAt).toBe(o.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"]);
    }
    // Still suspended: someone else's.
    expect((await fluxGet(cluster, "kustomizations.kustomize.toolkit.fluxcd.io", "flux-system", "monitoring")).spec.suspend).toBe(true);
    // Untouched and not Ready: only reported.
    expect(resume.stdout).toContain("Kustomization flux-system/monitoring (suspended)");
  });

  it("a child is never suspended while its parent applies it from Git: -p only without the parent is refused before anything changes", async () => {
    cluster = await fluxCluster();
    const result = await cluster.recover(["flux-suspend", "s1", "-p", "only=longhorn"]);
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).toContain("infrastructure-storage is not suspended, and -p only left it out");
    expect((await fluxGet(cluster, "helmreleases.helm.toolkit.fluxcd.io", "longhorn-system", "longhorn")).spec.suspend).toBeFalsy();
  });

  it("a parent declaring its child suspend: false in Git cannot undo the suspension, since it is suspended first", async () => {
    cluster = await fluxCluster({
      gitChildren: {
        "flux-system/infrastructure-storage": [{ kind: "HelmRelease", namespace: "longhorn-system", name: "longhorn", suspend: false }],
      },
    });
    const result = await cluster.recover(["flux-suspend", "s2"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect((await fluxGet(cluster, "helmreleases.helm.toolkit.fluxcd.io", "longhorn-system", "longhorn")).spec.suspend).toBe(true);
  });

  it("resume of a scope nothing was recorded under changes nothing", async () => {
    cluster = await fluxCluster({}, ["monitoring"]);
    cluster.kube.api.control.clearRequests();
    const result = await cluster.recover(["flux-resume", "nobody"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(cluster.kube.api.control.requests().filter((r) => r.method === "PATCH")).toEqual([]);
    expect((await fluxGet(cluster, "kustomizations.kustomize.toolkit.fluxcd.io", "flux-system", "monitoring")).spec.suspend).toBe(true);
  });
});
