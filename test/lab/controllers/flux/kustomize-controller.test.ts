import { describe, expect, it } from "vitest";
import { reconcileDisabled } from "../../../../src/lab/controllers/flux/kustomize-controller.js";
import type { KubeObject } from "../../../../src/lab/kube-api/index.js";

const node = (annotations?: Record<string, string>): KubeObject =>
  ({
    apiVersion: "longhorn.io/v1beta2",
    kind: "Node",
    metadata: { name: "k3s1", namespace: "longhorn-system", ...(annotations ? { annotations } : {}) },
  }) as KubeObject;

describe("kustomize-controller's exclusion (fluxcd/pkg/ssa AnyInMetadata)", () => {
  it("skips an object marked reconcile: disabled in Git or in the cluster, and only that value", () => {
    const disabled = { "kustomize.toolkit.fluxcd.io/reconcile": "disabled" };
    expect(reconcileDisabled(node(disabled), node())).toBe(true);
    expect(reconcileDisabled(node(), node(disabled))).toBe(true);
    expect(reconcileDisabled(node(), undefined)).toBe(false);
    expect(reconcileDisabled(node({ "kustomize.toolkit.fluxcd.io/reconcile": "enabled" }))).toBe(false);
  });
});
