import { describe, expect, it } from "vitest";
import { deepFreeze } from "../../../../src/lab/kube-api/patch/json-value.js";
import { recordUpdate } from "../../../../src/lab/kube-api/patch/record-update.js";
import type { KubeObject, ManagedFieldsEntry } from "../../../../src/lab/kube-api/types.js";

const T0 = "2025-01-01T00:00:00Z";
const T1 = "2025-01-01T00:01:00Z";
const T2 = "2025-01-01T00:02:00Z";

function configMap(
  data: Record<string, string> | undefined,
  labels?: Record<string, string>,
  managedFields?: ManagedFieldsEntry[],
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "cfg",
      namespace: "flux-system",
      uid: "u-1",
      resourceVersion: "7",
      creationTimestamp: T0,
      ...(labels ? { labels } : {}),
      ...(managedFields ? { managedFields } : {}),
    },
    ...(data ? { data } : {}),
  };
}

/** Stores the result as the handler does, so the next write starts from it. */
function written(object: KubeObject, managedFields: ManagedFieldsEntry[]): KubeObject {
  return deepFreeze({ ...object, metadata: { ...object.metadata, managedFields } });
}

const fieldsOf = (entries: ManagedFieldsEntry[], manager: string) => entries.find((e) => e.manager === manager)?.fieldsV1;

describe("recordUpdate", () => {
  it("records a create with the real fieldsV1 encoding (maps that appear are members: `.`)", () => {
    const entries = recordUpdate(undefined, deepFreeze(configMap({ key: "v" }, { app: "x" })), "kubectl-create", { now: T0 });
    expect(entries).toEqual([
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "v1",
        time: T0,
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { ".": {}, "f:key": {} }, "f:metadata": { "f:labels": { ".": {}, "f:app": {} } } },
      },
    ]);
  });

  it("never records identity or server bookkeeping (name, uid, resourceVersion, …)", () => {
    const entries = recordUpdate(undefined, deepFreeze(configMap(undefined)), "kubectl-create", { now: T0 });
    expect(entries).toEqual([]);
  });

  it("gives a later writer only what it changed, and takes it from the earlier owner", () => {
    const created = configMap({ a: "1", b: "2" }, { app: "x" });
    const v1 = written(created, recordUpdate(undefined, created, "kubectl-create", { now: T0 }));
    const labelled = configMap({ a: "1", b: "2" }, { app: "y", extra: "z" }, v1.metadata.managedFields);
    const entries = recordUpdate(v1, deepFreeze(labelled), "kubectl-label", { now: T1 });
    expect(fieldsOf(entries, "kubectl-label")).toEqual({ "f:metadata": { "f:labels": { "f:app": {}, "f:extra": {} } } });
    // The creator keeps the labels map itself (a member with nothing under it is written `{}`).
    expect(fieldsOf(entries, "kubectl-create")).toEqual({ "f:data": { ".": {}, "f:a": {}, "f:b": {} }, "f:metadata": { "f:labels": {} } });
    expect(entries.map((e) => [e.manager, e.time])).toEqual([
      ["kubectl-create", T0],
      ["kubectl-label", T1],
    ]);
  });

  it("drops an entry left with no fields and forgets removed fields", () => {
    const created = configMap({ a: "1" });
    const v1 = written(created, recordUpdate(undefined, created, "creator", { now: T0 }));
    const changed = configMap({ b: "2" }, undefined, v1.metadata.managedFields);
    const entries = recordUpdate(v1, deepFreeze(changed), "editor", { now: T1 });
    expect(entries.map((e) => e.manager)).toEqual(["creator", "editor"]);
    expect(fieldsOf(entries, "creator")).toEqual({ "f:data": {} });
    expect(fieldsOf(entries, "editor")).toEqual({ "f:data": { "f:b": {} } });
    const v2 = written(changed, entries);
    const emptied = configMap(undefined, undefined, v2.metadata.managedFields);
    expect(recordUpdate(v2, deepFreeze(emptied), "cleaner", { now: T2 })).toEqual([]);
  });

  it("leaves managedFields untouched (times included) when the write changes nothing", () => {
    const created = configMap({ a: "1" });
    const v1 = written(created, recordUpdate(undefined, created, "creator", { now: T0 }));
    expect(recordUpdate(v1, v1, "someone", { now: T1 })).toEqual(v1.metadata.managedFields);
  });

  it("keeps one Update entry per manager and apiVersion, merging a manager's later writes", () => {
    const created = configMap({ a: "1" });
    const v1 = written(created, recordUpdate(undefined, created, "flux", { now: T0 }));
    const next = configMap({ a: "1", b: "2" }, undefined, v1.metadata.managedFields);
    const entries = recordUpdate(v1, deepFreeze(next), "flux", { now: T1 });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ manager: "flux", time: T1, fieldsV1: { "f:data": { ".": {}, "f:a": {}, "f:b": {} } } });
  });

  it("records a status write as its own entry with subresource status; Node conditions keyed by type", () => {
    const node: KubeObject = { apiVersion: "v1", kind: "Node", metadata: { name: "k3s1" }, spec: { podCIDR: "10.42.0.0/24" }, status: {} };
    const v1 = written(node, recordUpdate(undefined, node, "k3s", { now: T0 }));
    const ready = {
      ...v1,
      spec: { podCIDR: "10.99.0.0/24" },
      status: {
        conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }],
        addresses: [{ type: "InternalIP", address: "127.0.0.2" }],
      },
    };
    const entries = recordUpdate(v1, deepFreeze(ready), "k3s", { now: T1, subresource: "status" });
    expect(entries).toEqual([
      expect.objectContaining({ manager: "k3s", time: T0, fieldsV1: { "f:spec": { "f:podCIDR": {} } } }),
      {
        manager: "k3s",
        operation: "Update",
        apiVersion: "v1",
        time: T1,
        fieldsType: "FieldsV1",
        subresource: "status",
        fieldsV1: {
          "f:status": {
            "f:addresses": { ".": {}, 'k:{"type":"InternalIP"}': { ".": {}, "f:address": {}, "f:type": {} } },
            "f:conditions": { ".": {}, 'k:{"type":"Ready"}': { ".": {}, "f:reason": {}, "f:status": {}, "f:type": {} } },
          },
        },
      },
    ]);
  });

  it("treats spec/status of built-in kinds as always present, but records a custom resource's spec as a member", () => {
    const pod: KubeObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", finalizers: ["x"] },
      spec: { containers: [{ name: "c", image: "i" }], nodeName: "k3s1" },
    };
    expect(fieldsOf(recordUpdate(undefined, deepFreeze(pod), "m", { now: T0 }), "m")).toEqual({
      "f:metadata": { "f:finalizers": { ".": {}, 'v:"x"': {} } },
      "f:spec": { "f:containers": { 'k:{"name":"c"}': { ".": {}, "f:image": {}, "f:name": {} } }, "f:nodeName": {} },
    });
    const volume: KubeObject = {
      apiVersion: "longhorn.io/v1beta2",
      kind: "Volume",
      metadata: { name: "pvc-1" },
      spec: { numberOfReplicas: 3 },
    };
    expect(fieldsOf(recordUpdate(undefined, deepFreeze(volume), "m", { now: T0 }), "m")).toEqual({
      "f:spec": { ".": {}, "f:numberOfReplicas": {} },
    });
  });

  it("starts from managedFields the client sent on a main-resource write, and resets on an explicit []", () => {
    const created = configMap({ a: "1" });
    const v1 = written(created, recordUpdate(undefined, created, "creator", { now: T0 }));
    const reset = configMap({ a: "1", b: "2" }, undefined, []);
    expect(recordUpdate(v1, deepFreeze(reset), "editor", { now: T1 })).toEqual([
      expect.objectContaining({ manager: "editor", fieldsV1: { "f:data": { "f:b": {} } } }),
    ]);
    const claimed: ManagedFieldsEntry[] = [
      {
        manager: "claimed",
        operation: "Update",
        apiVersion: "v1",
        time: T0,
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { "f:a": {} } },
      },
    ];
    const sent = configMap({ a: "1" }, { l: "1" }, claimed);
    expect(recordUpdate(v1, deepFreeze(sent), "editor", { now: T1 }).map((e) => e.manager)).toEqual(["claimed", "editor"]);
    // A status write may not rewrite ownership: the live entries stay.
    expect(
      recordUpdate(v1, deepFreeze({ ...sent, status: { x: 1 } }), "editor", { now: T1, subresource: "status" }).map((e) => e.manager),
    ).toEqual(["creator", "editor"]);
  });

  it("orders entries as the real server: Apply first, then by time, then manager", () => {
    const applied: ManagedFieldsEntry = {
      manager: "z-apply",
      operation: "Apply",
      apiVersion: "v1",
      time: T2,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { "f:z": {} } },
    };
    const late: ManagedFieldsEntry = {
      manager: "a-late",
      operation: "Update",
      apiVersion: "v1",
      time: T1,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { "f:y": {} } },
    };
    const live = deepFreeze(configMap({ y: "1", z: "1" }, undefined, [late, applied]));
    const next = configMap({ x: "1", y: "1", z: "1" }, undefined, live.metadata.managedFields);
    expect(recordUpdate(live, deepFreeze(next), "b-early", { now: T0 }).map((e) => e.manager)).toEqual(["z-apply", "b-early", "a-late"]);
  });
});
