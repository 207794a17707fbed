import { describe, expect, it } from "vitest";
import { serverSideApply } from "../../../../src/lab/kube-api/patch/index.js";
import { deepFreeze } from "../../../../src/lab/kube-api/patch/json-value.js";
import { recordUpdate } from "../../../../src/lab/kube-api/patch/record-update.js";
import { ApiError } from "../../../../src/lab/kube-api/status.js";
import type { KubeObject, ManagedFieldsEntry } from "../../../../src/lab/kube-api/types.js";

const T0 = "2025-01-01T00:00:00Z";
const T1 = "2025-01-01T00:01:00Z";
const T2 = "2025-01-01T00:02:00Z";

function configMap(data: Record<string, string>, labels?: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "flux-system", ...(labels ? { labels } : {}) }, data };
}

/** What the store would hold after a write: server fields set, frozen so nothing can mutate it. */
function stored(object: KubeObject): KubeObject {
  return deepFreeze({ ...object, metadata: { uid: "u-1", resourceVersion: "5", creationTimestamp: T0, ...object.metadata } });
}

function apply(live: KubeObject | undefined, applied: KubeObject, manager: string, force = false, now = T1): KubeObject {
  return serverSideApply(live, deepFreeze(applied), manager, { force, now });
}

/** An object created by an Update manager (kubectl create, a controller), with its managedFields. */
function createdBy(manager: string, object: KubeObject): KubeObject {
  return stored({ ...object, metadata: { ...object.metadata, managedFields: recordUpdate(undefined, object, manager, { now: T0 }) } });
}

/** Writes `next` over `live` as `manager` (operation Update), as PUT/PATCH do. */
function updatedBy(manager: string, live: KubeObject, next: KubeObject, now = T1): KubeObject {
  return stored({ ...next, metadata: { ...next.metadata, managedFields: recordUpdate(live, next, manager, { now }) } });
}

function conflict(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("the apply succeeded");
}

const entry = (object: KubeObject, manager: string): ManagedFieldsEntry | undefined =>
  object.metadata.managedFields?.find((e) => e.manager === manager);

describe("serverSideApply: create and re-apply", () => {
  it("creates from the applied configuration and records an Apply entry without `.` members", () => {
    const created = apply(undefined, configMap({ a: "1" }, { app: "x" }), "kubectl");
    expect(created).toEqual({
      ...configMap({ a: "1" }, { app: "x" }),
      metadata: {
        name: "cfg",
        namespace: "flux-system",
        labels: { app: "x" },
        managedFields: [
          {
            manager: "kubectl",
            operation: "Apply",
            apiVersion: "v1",
            time: T1,
            fieldsType: "FieldsV1",
            fieldsV1: { "f:data": { "f:a": {} }, "f:metadata": { "f:labels": { "f:app": {} } } },
          },
        ],
      },
    });
  });

  it("re-applying the same configuration changes nothing, not even the entry's time", () => {
    const live = stored(apply(undefined, configMap({ a: "1" }), "kubectl", false, T0));
    expect(apply(live, configMap({ a: "1" }), "kubectl", false, T2)).toEqual(live);
  });

  it("keeps live server fields (uid, resourceVersion, creationTimestamp) whatever the configuration says", () => {
    const live = stored(apply(undefined, configMap({ a: "1" }), "kubectl", false, T0));
    const sneaky = { ...configMap({ a: "2" }), metadata: { ...configMap({}).metadata, uid: "forged", resourceVersion: "1" } };
    const result = apply(live, sneaky, "kubectl");
    expect([result.metadata.uid, result.metadata.resourceVersion, result.metadata.creationTimestamp]).toEqual(["u-1", "5", T0]);
    expect(result.data).toEqual({ a: "2" });
  });
});

describe("serverSideApply: fields a manager stops applying", () => {
  it("removes a field the manager applied before and no longer applies", () => {
    const live = stored(apply(undefined, configMap({ a: "1", b: "2" }, { app: "x" }), "kubectl", false, T0));
    const result = apply(live, configMap({ a: "1" }), "kubectl");
    expect(result.data).toEqual({ a: "1" });
    expect(result.metadata.labels).toBeUndefined();
    expect(entry(result, "kubectl")?.fieldsV1).toEqual({ "f:data": { "f:a": {} } });
  });

  it("keeps such a field when another manager owns it too", () => {
    const first = stored(apply(undefined, configMap({ a: "1", b: "2" }), "kubectl", false, T0));
    const shared = stored(apply(first, configMap({ b: "2" }), "flux"));
    const result = apply(shared, configMap({ a: "1" }), "kubectl", false, T2);
    expect(result.data).toEqual({ a: "1", b: "2" });
    expect(entry(result, "flux")?.fieldsV1).toEqual({ "f:data": { "f:b": {} } });
  });

  it("never removes fields it did not apply (written by an Update manager)", () => {
    const live = updatedBy("kubectl-label", stored(apply(undefined, configMap({ a: "1" }), "kubectl", false, T0)), {
      ...configMap({ a: "1" }, { extra: "y" }),
    });
    const result = apply(live, configMap({ a: "2" }), "kubectl", false, T2);
    expect(result.metadata.labels).toEqual({ extra: "y" });
    expect(result.data).toEqual({ a: "2" });
  });
});

describe("serverSideApply: conflicts", () => {
  const created = createdBy("kubectl-client-side-apply", configMap({ a: "1", b: "2" }));

  it("refuses to change a field another manager owns, with the real message and causes", () => {
    const error = conflict(() => apply(created, configMap({ a: "9" }), "kubectl"));
    expect(error.code).toBe(409);
    expect(error.reason).toBe("Conflict");
    expect(error.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.a');
    expect(error.details?.causes).toEqual([
      { reason: "FieldManagerConflict", message: 'conflict with "kubectl-client-side-apply" using v1', field: ".data.a" },
    ]);
  });

  it("lists several conflicts per manager, managers sorted", () => {
    const twoOwners = updatedBy("flux", created, configMap({ a: "1", b: "2", c: "3" }));
    const error = conflict(() => apply(twoOwners, configMap({ a: "9", b: "9", c: "9" }), "kubectl"));
    expect(error.message).toBe(
      'Apply failed with 3 conflicts: conflicts with "flux" using v1:\n- .data.c\nconflicts with "kubectl-client-side-apply" using v1:\n- .data.a\n- .data.b',
    );
    expect(error.details?.causes?.map((c) => c.field)).toEqual([".data.c", ".data.a", ".data.b"]);
  });

  it("does not conflict when the applied value equals the live one: ownership is shared", () => {
    const result = apply(created, configMap({ a: "1" }), "kubectl");
    expect(entry(result, "kubectl")?.fieldsV1).toEqual({ "f:data": { "f:a": {} } });
    expect(entry(result, "kubectl-client-side-apply")?.fieldsV1).toEqual({ "f:data": { ".": {}, "f:a": {}, "f:b": {} } });
  });

  it("with force takes the field over: the other manager loses it", () => {
    const result = apply(created, configMap({ a: "9" }), "kubectl", true);
    expect(result.data).toEqual({ a: "9", b: "2" });
    expect(entry(result, "kubectl")?.fieldsV1).toEqual({ "f:data": { "f:a": {} } });
    expect(entry(result, "kubectl-client-side-apply")?.fieldsV1).toEqual({ "f:data": { ".": {}, "f:b": {} } });
  });

  it("an object without managedFields belongs to before-first-apply, as on a real server", () => {
    const legacy = stored(configMap({ a: "1" }));
    const error = conflict(() => apply(legacy, configMap({ a: "2" }), "kubectl"));
    expect(error.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a');
    const forced = apply(legacy, configMap({ a: "2" }), "kubectl", true);
    expect(forced.metadata.managedFields?.map((e) => [e.manager, e.operation])).toEqual([
      ["kubectl", "Apply"],
      ["before-first-apply", "Update"],
    ]);
  });

  it("the same manager name applying and updating counts as two managers", () => {
    const applied = stored(apply(undefined, configMap({ a: "1" }), "kubectl", false, T0));
    const edited = updatedBy("kubectl", applied, configMap({ a: "2" }));
    expect(conflict(() => apply(edited, configMap({ a: "3" }), "kubectl", false, T2)).message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl" using v1: .data.a',
    );
  });
});

describe("serverSideApply: lists", () => {
  const pod = (containers: unknown[], finalizers?: string[]): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default", ...(finalizers ? { finalizers } : {}) },
    spec: { containers },
  });

  it("merges keyed lists by key: a container another manager added survives, and conflicts name the item", () => {
    const live = stored(apply(undefined, pod([{ name: "app", image: "app:1" }]), "kubectl", false, T0));
    const injected = updatedBy(
      "linkerd",
      live,
      pod([
        { name: "app", image: "app:1" },
        { name: "proxy", image: "proxy:1" },
      ]),
    );
    const result = apply(injected, pod([{ name: "app", image: "app:2" }]), "kubectl", false, T2);
    expect(result.spec).toEqual({
      containers: [
        { name: "app", image: "app:2" },
        { name: "proxy", image: "proxy:1" },
      ],
    });
    expect(entry(result, "kubectl")?.fieldsV1).toEqual({
      "f:spec": { "f:containers": { 'k:{"name":"app"}': { ".": {}, "f:image": {}, "f:name": {} } } },
    });
    const proxy = updatedBy(
      "linkerd",
      injected,
      pod([
        { name: "app", image: "app:1" },
        { name: "proxy", image: "proxy:2" },
      ]),
      T2,
    );
    expect(
      conflict(() =>
        apply(
          proxy,
          pod([
            { name: "app", image: "app:1" },
            { name: "proxy", image: "proxy:3" },
          ]),
          "kubectl",
        ),
      ).message,
    ).toBe('Apply failed with 1 conflict: conflict with "linkerd" using v1: .spec.containers[name="proxy"].image');
  });

  it("removes a list item the manager stopped applying", () => {
    const live = stored(
      apply(
        undefined,
        pod([
          { name: "a", image: "1" },
          { name: "b", image: "2" },
        ]),
        "kubectl",
        false,
        T0,
      ),
    );
    expect(apply(live, pod([{ name: "a", image: "1" }]), "kubectl").spec).toEqual({ containers: [{ name: "a", image: "1" }] });
  });

  it("merges finalizers as a set and prunes only the applier's own", () => {
    const live = stored(apply(undefined, pod([], ["mine"]), "kubectl", false, T0));
    const theirs = updatedBy("longhorn", live, pod([], ["mine", "longhorn.io"]));
    const result = apply(theirs, pod([]), "kubectl", false, T2);
    expect(result.metadata.finalizers).toEqual(["longhorn.io"]);
    expect(entry(theirs, "longhorn")?.fieldsV1).toEqual({ "f:metadata": { "f:finalizers": { 'v:"longhorn.io"': {} } } });
  });

  it("replaces atomic lists (Node taints) whole", () => {
    const node = (taints: unknown[]): KubeObject => ({ apiVersion: "v1", kind: "Node", metadata: { name: "k3s1" }, spec: { taints } });
    const live = stored(apply(undefined, node([{ key: "a", effect: "NoSchedule" }]), "kubectl", false, T0));
    const result = apply(live, node([{ key: "b", effect: "NoExecute" }]), "kubectl");
    expect(result.spec).toEqual({ taints: [{ key: "b", effect: "NoExecute" }] });
    expect(entry(result, "kubectl")?.fieldsV1).toEqual({ "f:spec": { "f:taints": {} } });
  });

  it("a custom resource keeps its lists atomic and merges its maps", () => {
    const lhn = (disks: Record<string, unknown>, tags: string[]): KubeObject => ({
      apiVersion: "longhorn.io/v1beta2",
      kind: "Node",
      metadata: { name: "k3s1", namespace: "longhorn-system" },
      spec: { disks, tags },
    });
    const live = stored(apply(undefined, lhn({ d1: { path: "/var/lib/longhorn", allowScheduling: true } }, ["a"]), "recover", false, T0));
    const result = apply(live, lhn({ d1: { allowScheduling: false } }, ["b"]), "recover", true);
    expect(result.spec).toEqual({ disks: { d1: { allowScheduling: false } }, tags: ["b"] });
  });
});

describe("serverSideApply: the status subresource", () => {
  it("records a status apply as its own entry with subresource status, owning status only", () => {
    const node: KubeObject = { apiVersion: "v1", kind: "Node", metadata: { name: "k3s1" }, spec: { podCIDR: "10.42.0.0/24" } };
    const live = createdBy("k3s", node);
    const ready = { ...node, spec: { podCIDR: "10.99.0.0/24" }, status: { conditions: [{ type: "Ready", status: "True" }] } };
    const result = serverSideApply(live, deepFreeze(ready), "lab-kubelet", { force: false, now: T1, subresource: "status" });
    expect(entry(result, "lab-kubelet")).toEqual({
      manager: "lab-kubelet",
      operation: "Apply",
      apiVersion: "v1",
      time: T1,
      fieldsType: "FieldsV1",
      subresource: "status",
      fieldsV1: {
        "f:status": { "f:conditions": { 'k:{"type":"Ready"}': { ".": {}, "f:status": {}, "f:type": {} } } },
      },
    });
    expect(result.status).toEqual({ conditions: [{ type: "Ready", status: "True" }] });
    expect(result.spec).toEqual({ podCIDR: "10.42.0.0/24" });
  });
});
