import { afterEach, describe, expect, it } from "vitest";
import { Store, type StoreChange } from "../../../../src/lab/kube-api/store/store.js";
import type { KubeObject } from "../../../../src/lab/kube-api/types.js";
import { apiErrorOf, configMap, configMaps, lhNodes, manualClock, namespace, namespaces, pods, widgets } from "./fixtures.js";

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function newStore(clock = manualClock()): Store {
  const store = new Store({ clock: clock.now });
  stores.push(store);
  store.create(namespaces, undefined, namespace("default"));
  store.create(namespaces, undefined, namespace("longhorn-system"));
  return store;
}

function recordChanges(store: Store): StoreChange[] {
  const changes: StoreChange[] = [];
  store.onChange((change) => changes.push(change));
  return changes;
}

const lhNode = (name: string, spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: "longhorn.io/v1beta2",
  kind: "Node",
  metadata: { name },
  spec,
  ...(status ? { status } : {}),
});

describe("Store.create", () => {
  it("assigns uid, resourceVersion, creationTimestamp, generation and the namespace", () => {
    const store = newStore(manualClock("2025-03-01T12:00:00.750Z"));
    const input: KubeObject = { apiVersion: "", kind: "", metadata: { name: "settings" }, data: { a: "1" } };
    const created = store.create(configMaps, "default", input);
    expect(created).toMatchObject({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "default", generation: 1, creationTimestamp: "2025-03-01T12:00:00Z" },
      data: { a: "1" },
    });
    expect(created.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.metadata.resourceVersion).toBe(store.resourceVersion());
    expect(input.metadata).toEqual({ name: "settings" });
    expect(store.get(configMaps, "default", "settings")).toEqual(created);
  });

  it("fills apiVersion and kind from the type only when missing", () => {
    const store = newStore();
    const filled = store.create(lhNodes, undefined, { metadata: { name: "k3s1" } } as KubeObject);
    expect([filled.apiVersion, filled.kind]).toEqual(["longhorn.io/v1beta2", "Node"]);
    const kept = store.create(lhNodes, undefined, { apiVersion: "longhorn.io/v1beta1", kind: "Node", metadata: { name: "k3s2" } });
    expect(kept.apiVersion).toBe("longhorn.io/v1beta1");
  });

  it("names objects from generateName with a 5-character suffix", () => {
    const store = newStore();
    const names = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const created = store.create(configMaps, "default", { apiVersion: "v1", kind: "ConfigMap", metadata: { generateName: "drill-" } });
      expect(created.metadata.name).toMatch(/^drill-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      names.add(created.metadata.name ?? "");
    }
    expect(names.size).toBe(20);
  });

  it("refuses an object without name or generateName with the real 422", () => {
    const error = apiErrorOf(() =>
      newStore().create(lhNodes, undefined, { apiVersion: "longhorn.io/v1beta2", kind: "Node", metadata: {} }),
    );
    expect(error.code).toBe(422);
    expect(error.reason).toBe("Invalid");
    expect(error.message).toBe('Node.longhorn.io "" is invalid: metadata.name: Required value: name or generateName is required');
    // The real details name group and kind apart, not `Node.longhorn.io` as one kind.
    expect(error.details).toMatchObject({ group: "longhorn.io", kind: "Node", name: "" });
    expect(error.details?.causes).toEqual([
      { reason: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" },
    ]);
  });

  it("refuses a second object with the same name with 409 AlreadyExists", () => {
    const store = newStore();
    store.create(configMaps, "default", configMap("a"));
    const error = apiErrorOf(() => store.create(configMaps, "default", configMap("a")));
    expect([error.code, error.reason, error.message]).toEqual([409, "AlreadyExists", 'configmaps "a" already exists']);
    expect(store.create(configMaps, "longhorn-system", configMap("a")).metadata.namespace).toBe("longhorn-system");
  });

  it("answers NotFound for the namespace when it does not exist", () => {
    const store = newStore();
    const error = apiErrorOf(() => store.create(configMaps, "nope", configMap("a")));
    expect([error.code, error.message, error.details]).toEqual([
      404,
      'namespaces "nope" not found',
      { name: "nope", group: "", kind: "namespaces" },
    ]);
  });

  it("creates namespaces in a store that holds none, as Active", () => {
    const store = new Store();
    stores.push(store);
    const created = store.create(namespaces, undefined, namespace("flux-system"));
    expect(created.status).toEqual({ phase: "Active" });
    expect(created.metadata.namespace).toBeUndefined();
  });

  it("drops metadata.namespace on cluster-scoped objects and ignores the namespace argument", () => {
    const store = newStore();
    const created = store.create(lhNodes, "longhorn-system", { ...lhNode("k3s1"), metadata: { name: "k3s1", namespace: "x" } });
    expect(created.metadata).not.toHaveProperty("namespace");
    expect(store.get(lhNodes, undefined, "k3s1").metadata.name).toBe("k3s1");
  });

  it("refuses a body whose namespace differs from the request's", () => {
    const store = newStore();
    const error = apiErrorOf(() =>
      store.create(configMaps, "default", { ...configMap("a"), metadata: { name: "a", namespace: "longhorn-system" } }),
    );
    expect([error.code, error.message]).toEqual([
      400,
      "the namespace of the provided object does not match the namespace sent on the request",
    ]);
  });

  it("keeps status and managedFields given on create", () => {
    const store = newStore();
    const managedFields = [
      {
        manager: "kubectl",
        operation: "Apply" as const,
        apiVersion: "longhorn.io/v1beta2",
        time: "2025-01-01T00:00:00Z",
        fieldsType: "FieldsV1" as const,
        fieldsV1: { "f:spec": {} },
      },
    ];
    const created = store.create(lhNodes, undefined, {
      ...lhNode("k3s1", {}, { conditions: [] }),
      metadata: { name: "k3s1", managedFields },
    });
    expect(created.status).toEqual({ conditions: [] });
    expect(created.metadata.managedFields).toEqual(managedFields);
  });

  it("clears deletion fields and a client-sent resourceVersion", () => {
    const store = newStore();
    const created = store.create(configMaps, "default", {
      ...configMap("a"),
      metadata: { name: "a", resourceVersion: "999", deletionTimestamp: "2020-01-01T00:00:00Z", deletionGracePeriodSeconds: 5 },
    });
    expect(created.metadata.resourceVersion).toBe(store.resourceVersion());
    expect(created.metadata).not.toHaveProperty("deletionTimestamp");
    expect(created.metadata).not.toHaveProperty("deletionGracePeriodSeconds");
  });
});

describe("Store.get, tryGet and list", () => {
  it("answers NotFound with the qualified resource name", () => {
    const store = newStore();
    const error = apiErrorOf(() => store.get(lhNodes, undefined, "nope"));
    expect(error.toStatus()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'nodes.longhorn.io "nope" not found',
      reason: "NotFound",
      details: { name: "nope", group: "longhorn.io", kind: "nodes" },
      code: 404,
    });
    expect(store.tryGet(lhNodes, undefined, "nope")).toBeUndefined();
    expect(store.tryGet(configMaps, "longhorn-system", "x")).toBeUndefined();
  });

  it("returns deep copies that callers may change freely", () => {
    const store = newStore();
    const created = store.create(configMaps, "default", configMap("a", { k: "v" }, { app: "x" }));
    (created.data as Record<string, string>).k = "changed";
    const got = store.get(configMaps, "default", "a");
    (got.metadata.labels as Record<string, string>).app = "changed";
    const listed = store.list(configMaps, "default").items[0] as KubeObject;
    listed.metadata.name = "changed";
    expect(store.get(configMaps, "default", "a")).toMatchObject({ metadata: { name: "a", labels: { app: "x" } }, data: { k: "v" } });
  });

  it("lists by namespace then name, in one namespace or all", () => {
    const store = newStore();
    for (const [ns, name] of [
      ["longhorn-system", "b"],
      ["default", "z"],
      ["longhorn-system", "a"],
      ["default", "m"],
    ] as const) {
      store.create(configMaps, ns, configMap(name));
    }
    const all = store.list(configMaps, undefined);
    expect(all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      "default/m",
      "default/z",
      "longhorn-system/a",
      "longhorn-system/b",
    ]);
    expect(all.resourceVersion).toBe(store.resourceVersion());
    expect(store.list(configMaps, "longhorn-system").items.map((o) => o.metadata.name)).toEqual(["a", "b"]);
    expect(store.list(configMaps, "empty").items).toEqual([]);
    expect(store.list(namespaces, "default").items.map((o) => o.metadata.name)).toEqual(["default", "longhorn-system"]);
  });

  it("lists through label and field filters", () => {
    const store = newStore();
    store.create(pods, "default", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p1", labels: { app: "web" } },
      spec: { nodeName: "k3s1" },
    });
    store.create(pods, "default", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p2", labels: { app: "db" } },
      spec: { nodeName: "k3s1" },
    });
    store.create(pods, "default", { apiVersion: "v1", kind: "Pod", metadata: { name: "p3" }, spec: { nodeName: "k3s2" } });
    const onK3s1 = (o: KubeObject) => (o.spec as { nodeName?: string }).nodeName === "k3s1";
    expect(store.list(pods, undefined, { fields: onK3s1 }).items.map((o) => o.metadata.name)).toEqual(["p1", "p2"]);
    expect(store.list(pods, undefined, { fields: onK3s1, labels: (l) => l?.app === "db" }).items.map((o) => o.metadata.name)).toEqual([
      "p2",
    ]);
    expect(store.list(pods, undefined, { labels: (l) => l === undefined }).items.map((o) => o.metadata.name)).toEqual(["p3"]);
  });

  it("keeps 1,000 objects in order with one resourceVersion per write", () => {
    const store = newStore();
    const before = Number(store.resourceVersion());
    for (let i = 999; i >= 0; i--) store.create(configMaps, "default", configMap(`cm-${String(i).padStart(4, "0")}`));
    const { items, resourceVersion } = store.list(configMaps, "default");
    expect(items).toHaveLength(1000);
    expect(items[0]?.metadata.name).toBe("cm-0000");
    expect(items[999]?.metadata.name).toBe("cm-0999");
    expect(Number(resourceVersion)).toBe(before + 1000);
  });
});

describe("Store.update", () => {
  it("refuses a stale resourceVersion with the real 409 and accepts none as unconditional", () => {
    const store = newStore();
    const created = store.create(configMaps, "default", configMap("a", { v: "1" }));
    store.update(configMaps, "default", "a", { ...created, data: { v: "2" } });
    const error = apiErrorOf(() => store.update(configMaps, "default", "a", { ...created, data: { v: "3" } }));
    expect([error.code, error.reason]).toEqual([409, "Conflict"]);
    expect(error.message).toBe(
      'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    );
    const unconditional = store.update(configMaps, "default", "a", { ...configMap("a"), data: { v: "4" } });
    expect(unconditional.data).toEqual({ v: "4" });
  });

  it("answers NotFound for a missing object and 400 for a mismatched name", () => {
    const store = newStore();
    expect(apiErrorOf(() => store.update(configMaps, "default", "a", configMap("a"))).message).toBe('configmaps "a" not found');
    store.create(configMaps, "default", configMap("a"));
    const error = apiErrorOf(() => store.update(configMaps, "default", "a", configMap("b")));
    expect([error.code, error.message]).toEqual([400, "the name of the object (b) does not match the name on the URL (a)"]);
  });

  it("keeps server-owned fields from the stored object", () => {
    const store = newStore();
    const created = store.create(configMaps, "default", configMap("a"));
    const updated = store.update(configMaps, "default", "a", {
      ...configMap("a", { v: "2" }),
      metadata: {
        name: "a",
        uid: "forged",
        creationTimestamp: "1999-01-01T00:00:00Z",
        generation: 42,
        deletionTimestamp: "1999-01-01T00:00:00Z",
      },
    });
    expect(updated.metadata).toMatchObject({
      uid: created.metadata.uid,
      creationTimestamp: created.metadata.creationTimestamp,
      generation: 2,
    });
    expect(updated.metadata).not.toHaveProperty("deletionTimestamp");
  });

  it("increments generation only when something outside metadata and status changes", () => {
    const store = newStore();
    store.create(lhNodes, undefined, lhNode("k3s1", { allowScheduling: true }, { ready: false }));
    const labelled = store.update(lhNodes, undefined, "k3s1", {
      ...lhNode("k3s1", { allowScheduling: true }),
      metadata: { name: "k3s1", labels: { a: "b" } },
    });
    expect(labelled.metadata.generation).toBe(1);
    const statusChanged = store.update(lhNodes, undefined, "k3s1", { ...labelled, status: { ready: true } }, { subresource: "status" });
    expect(statusChanged.metadata.generation).toBe(1);
    const specChanged = store.update(lhNodes, undefined, "k3s1", { ...statusChanged, spec: { allowScheduling: false } });
    expect(specChanged.metadata.generation).toBe(2);
  });

  it("counts status as content for a type without a status subresource", () => {
    const store = newStore();
    store.create(widgets, "default", { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, status: { ok: false } });
    const updated = store.update(widgets, "default", "w", {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w" },
      status: { ok: true },
    });
    expect(updated).toMatchObject({ status: { ok: true }, metadata: { generation: 2 } });
    const error = apiErrorOf(() => store.update(widgets, "default", "w", updated, { subresource: "status" }));
    expect(error.code).toBe(404);
  });

  it("ignores status on a main update and takes only status on a status update", () => {
    const store = newStore();
    store.create(lhNodes, undefined, lhNode("k3s1", { allowScheduling: true }, { ready: false }));
    const main = store.update(lhNodes, undefined, "k3s1", lhNode("k3s1", { allowScheduling: false }, { ready: true }));
    expect(main).toMatchObject({ spec: { allowScheduling: false }, status: { ready: false } });
    const status = store.update(
      lhNodes,
      undefined,
      "k3s1",
      {
        ...lhNode("k3s1", { allowScheduling: true }, { ready: true }),
        metadata: { name: "k3s1", labels: { sneaky: "yes" } },
      },
      { subresource: "status" },
    );
    expect(status).toMatchObject({ spec: { allowScheduling: false }, status: { ready: true } });
    expect(status.metadata.labels).toBeUndefined();
    const cleared = store.update(lhNodes, undefined, "k3s1", lhNode("k3s1"), { subresource: "status" });
    expect(cleared).not.toHaveProperty("status");
  });

  it("returns the stored object with the same resourceVersion and emits nothing when nothing changes", () => {
    const store = newStore();
    const created = store.create(configMaps, "default", configMap("a", { v: "1" }, { app: "x" }));
    const changes = recordChanges(store);
    const rv = store.resourceVersion();
    const same = store.update(configMaps, "default", "a", { ...configMap("a", { v: "1" }, { app: "x" }) });
    expect(same).toEqual(created);
    expect(store.resourceVersion()).toBe(rv);
    expect(changes).toEqual([]);
  });

  it("gives every change a new, larger resourceVersion across all types", () => {
    const store = newStore();
    const versions = [
      store.create(configMaps, "default", configMap("a")).metadata.resourceVersion,
      store.create(lhNodes, undefined, lhNode("k3s1")).metadata.resourceVersion,
      store.update(configMaps, "default", "a", configMap("a", { v: "1" })).metadata.resourceVersion,
    ].map(Number);
    expect(versions[1]).toBe((versions[0] ?? 0) + 1);
    expect(versions[2]).toBe((versions[1] ?? 0) + 1);
    expect(store.resourceVersion()).toMatch(/^\d+$/);
  });
});

describe("Store.load", () => {
  it("loads fixtures as-is, assigning what is missing, without namespace checks", () => {
    const store = new Store({ clock: manualClock().now });
    stores.push(store);
    store.load(configMaps, [
      {
        ...configMap("a"),
        metadata: { name: "a", namespace: "not-created-yet", uid: "fixed-uid", creationTimestamp: "2020-01-01T00:00:00Z" },
      },
      configMap("b"),
    ]);
    expect(store.get(configMaps, "not-created-yet", "a").metadata).toMatchObject({
      uid: "fixed-uid",
      creationTimestamp: "2020-01-01T00:00:00Z",
      generation: 1,
    });
    expect(store.get(configMaps, "default", "b").metadata).toMatchObject({
      namespace: "default",
      creationTimestamp: "2025-03-01T12:00:00Z",
    });
  });

  it("replaces objects with the same name and keeps deletion state such as a stuck finalizer", () => {
    const store = newStore();
    const changes = recordChanges(store);
    store.load(configMaps, [configMap("a", { v: "1" })]);
    store.load(configMaps, [
      { ...configMap("a", { v: "2" }), metadata: { name: "a", finalizers: ["x/stuck"], deletionTimestamp: "2025-01-01T00:00:00Z" } },
    ]);
    expect(changes.map((c) => c.type)).toEqual(["ADDED", "MODIFIED"]);
    expect(changes[1]?.old?.data).toEqual({ v: "1" });
    const loaded = store.get(configMaps, "default", "a");
    expect(loaded).toMatchObject({ data: { v: "2" }, metadata: { deletionTimestamp: "2025-01-01T00:00:00Z" } });
    const removed = store.update(configMaps, "default", "a", { ...loaded, metadata: { ...loaded.metadata, finalizers: [] } });
    expect(removed.metadata.finalizers).toEqual([]);
    expect(store.tryGet(configMaps, "default", "a")).toBeUndefined();
  });

  it("loads nothing when one fixture is invalid", () => {
    const store = newStore();
    const error = apiErrorOf(() => store.load(configMaps, [configMap("ok"), { apiVersion: "v1", kind: "ConfigMap", metadata: {} }]));
    expect(error.code).toBe(422);
    expect(store.list(configMaps, undefined).items).toEqual([]);
  });
});

describe("Store.onChange", () => {
  it("reports every change with the state before it, as copies", () => {
    const store = newStore();
    const changes = recordChanges(store);
    store.onChange((change) => {
      change.object.metadata.name = "mutated by a hook";
    });
    store.create(configMaps, "default", configMap("a", { v: "1" }));
    store.update(configMaps, "default", "a", configMap("a", { v: "2" }));
    store.delete(configMaps, "default", "a");
    expect(changes.map((c) => [c.type, c.resource.resource, c.object.metadata.name, c.object.data, c.old?.data])).toEqual([
      ["ADDED", "configmaps", "a", { v: "1" }, undefined],
      ["MODIFIED", "configmaps", "a", { v: "2" }, { v: "1" }],
      ["DELETED", "configmaps", "a", { v: "2" }, { v: "2" }],
    ]);
  });

  it("stops calling a hook once unsubscribed", () => {
    const store = newStore();
    const changes: StoreChange[] = [];
    const unsubscribe = store.onChange((change) => changes.push(change));
    store.create(configMaps, "default", configMap("a"));
    unsubscribe();
    store.create(configMaps, "default", configMap("b"));
    expect(changes.map((c) => c.object.metadata.name)).toEqual(["a"]);
  });

  it("lets a hook write to the store and delivers everything in resourceVersion order", () => {
    const store = newStore();
    // A controller that answers every new ConfigMap with a status-like copy.
    store.onChange((change) => {
      if (change.type === "ADDED" && !change.object.metadata.name?.endsWith("-seen")) {
        store.create(configMaps, "default", configMap(`${change.object.metadata.name}-seen`));
      }
    });
    const seen: string[] = [];
    store.onChange((change) => seen.push(`${change.object.metadata.name}@${change.object.metadata.resourceVersion}`));
    const created = store.create(configMaps, "default", configMap("a"));
    expect(store.get(configMaps, "default", "a-seen")).toBeDefined();
    const rv = Number(created.metadata.resourceVersion);
    expect(seen).toEqual([`a@${rv}`, `a-seen@${rv + 1}`]);
  });

  it("survives a hook that throws and tells the error sink", () => {
    const errors: string[] = [];
    const store = new Store({ onListenerError: (error, context) => errors.push(`${context}: ${(error as Error).message}`) });
    stores.push(store);
    const after: string[] = [];
    store.onChange(() => {
      throw new Error("controller bug");
    });
    store.onChange((change) => after.push(change.object.metadata.name ?? ""));
    store.create(namespaces, undefined, namespace("default"));
    expect(after).toEqual(["default"]);
    expect(errors).toEqual(['onChange hook on ADDED namespaces "default": controller bug']);
    expect(store.get(namespaces, undefined, "default").metadata.name).toBe("default");
  });
});
