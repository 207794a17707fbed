import { describe, expect, it } from "vitest";
import {
  goDuration,
  isDue,
  type KustomizationView,
  nextStep,
  reconciledStatus,
} from "../../../../src/lab/controllers/flux/kustomization.js";

const ready = { conditions: [{ type: "Ready", status: "True" }], observedGeneration: 1 };
const ks = (
  name: string,
  extra: Partial<KustomizationView["spec"]> = {},
  status: KustomizationView["status"] = ready,
  generation = 1,
): KustomizationView => ({
  metadata: { name, namespace: "flux-system", generation },
  spec: { interval: "10m", path: `./${name}`, ...extra },
  status,
});

describe("kustomize-controller's reconcile", () => {
  it("does nothing for a suspended Kustomization", () => {
    expect(nextStep(ks("monitoring", { suspend: true }), () => undefined)).toEqual({ kind: "suspended" });
  });

  it("waits for each dependsOn to be Ready for its generation (checkDependencies)", () => {
    const deps = new Map([["infrastructure-storage", ks("infrastructure-storage", {}, ready, 2)]]);
    const step = nextStep(ks("monitoring", { dependsOn: [{ name: "infrastructure-storage" }] }), (_ns, name) => deps.get(name));
    expect(step).toEqual({ kind: "wait", message: "dependency 'flux-system/infrastructure-storage' is not ready", requeueAfterMs: 30_000 });
    deps.set("infrastructure-storage", ks("infrastructure-storage"));
    expect(nextStep(ks("monitoring", { dependsOn: [{ name: "infrastructure-storage" }] }), (_ns, name) => deps.get(name))).toEqual({
      kind: "apply",
      path: "./monitoring",
    });
  });

  it("is due on a new generation, a new requestedAt, or its interval", () => {
    const base = ks("infra");
    expect(isDue(base, 0, 60_000)).toBe(false);
    expect(isDue(base, 0, 600_000)).toBe(true);
    expect(isDue({ ...base, metadata: { ...base.metadata, generation: 2 } }, 0, 1)).toBe(true);
    expect(isDue({ ...base, metadata: { ...base.metadata, annotations: { "reconcile.fluxcd.io/requestedAt": "now" } } }, 0, 1)).toBe(true);
    expect(isDue({ ...base, spec: { ...base.spec, suspend: true } }, 0, 10_000_000)).toBe(false);
  });

  it("is due when its source has a revision it has not applied, unless suspended", () => {
    const applied = ks("infra", {}, { ...ready, lastAppliedRevision: "main@sha1:a" });
    expect(isDue(applied, 0, 60_000, "main@sha1:a")).toBe(false);
    expect(isDue(applied, 0, 60_000, "main@sha1:b")).toBe(true);
    expect(isDue({ ...applied, spec: { ...applied.spec, suspend: true } }, 0, 60_000, "main@sha1:b")).toBe(false);
  });

  it("leaves Ready for the generation with the revision and the handled request (finalizeStatus)", () => {
    const requested = {
      ...ks("infra", {}, undefined, 3),
      metadata: { name: "infra", namespace: "flux-system", generation: 3, annotations: { "reconcile.fluxcd.io/requestedAt": "20260101" } },
    };
    const status = reconciledStatus(requested, { ok: true, revision: "main@sha1:abc" }, "2026-01-01T00:00:00Z");
    expect(status).toMatchObject({
      observedGeneration: 3,
      lastAppliedRevision: "main@sha1:abc",
      lastHandledReconcileAt: "20260101",
      conditions: [{ type: "Ready", status: "True", reason: "ReconciliationSucceeded", message: "Applied revision: main@sha1:abc" }],
    });
  });

  it("reads Go durations as Flux writes them", () => {
    expect([goDuration("10m"), goDuration("1h30m"), goDuration("30s"), goDuration("10 minutes")]).toEqual([
      600_000,
      5_400_000,
      30_000,
      undefined,
    ]);
  });
});
