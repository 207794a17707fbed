import { afterEach, describe, expect, it, vi } from "vitest";
import { Store, type StoreChange } from "../../../../src/lab/kube-api/store/store.js";
import type { KubeObject } from "../../../../src/lab/kube-api/types.js";
import { apiErrorOf, configMap, configMaps, lhNodes, manualClock, namespace, namespaces, pods } from "./fixtures.js";

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  vi.useRealTimers();
});

function newStore(clock = manualClock()): Store {
  const store = new Store({ clock: clock.now });
  stores.push(store);
  store.create(namespaces, undefined, namespace("default"));
  return store;
}

function changeLog(store: Store): string[] {
  const log: string[] = [];
  store.onChange((c: StoreChange) => log.push(`${c.type} ${c.resource.resource}/${c.object.metadata.name}`));
  return log;
}

const withFinalizers = (object: KubeObject, finalizers: string[]): KubeObject => ({
  ...object,
  metadata: { ...object.metadata, finalizers },
});

const pod = (name: string, spec: Record<string, unknown> = { nodeName: "k3s1" }, finalizers?: string[]): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, ...(finalizers ? { finalizers } : {}) },
  spec,
});

/** Fake only the timer functions: the store's clock is injected, so Date stays real. */
const fakeTimers = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });

describe("Store.delete without finalizers", () => {
  it("removes the object now, emits DELETED and returns it", () => {
    const store = newStore();
    const log = changeLog(store);
    const created = store.create(configMaps, "default", configMap("a", { v: "1" }));
    const result = store.delete(configMaps, "default", "a");
    expect(result.removed).toBe(true);
    expect(result.object).toMatchObject({ metadata: { name: "a", uid: created.metadata.uid }, data: { v: "1" } });
    expect(Number(result.object.metadata.resourceVersion)).toBe(Number(created.metadata.resourceVersion) + 1);
    expect(log).toEqual(["ADDED configmaps/a", "DELETED configmaps/a"]);
    expect(apiErrorOf(() => store.get(configMaps, "default", "a")).code).toBe(404);
    expect(apiErrorOf(() => store.delete(configMaps, "default", "a")).message).toBe('configmaps "a" not found');
  });

  it("removes a non-pod immediately whatever grace period is asked for", () => {
    const store = newStore();
    store.create(configMaps, "default", configMap("a"));
    expect(store.delete(configMaps, "default", "a", { gracePeriodSeconds: 30 }).removed).toBe(true);
  });
});

describe("Store.delete with finalizers", () => {
  it("marks the object, keeps it until an update empties the finalizers, then removes it", () => {
    const clock = manualClock();
    const store = newStore(clock);
    const log = changeLog(store);
    store.create(
      lhNodes,
      undefined,
      withFinalizers({ apiVersion: "longhorn.io/v1beta2", kind: "Node", metadata: { name: "k3s1" } }, ["longhorn.io"]),
    );
    clock.advance(60);
    const marked = store.delete(lhNodes, undefined, "k3s1");
    expect(marked.removed).toBe(false);
    expect(marked.object.metadata).toMatchObject({
      deletionTimestamp: "2025-03-01T12:01:00Z",
      deletionGracePeriodSeconds: 0,
      finalizers: ["longhorn.io"],
    });
    expect(store.get(lhNodes, undefined, "k3s1")).toEqual(marked.object);

    const released = store.update(lhNodes, undefined, "k3s1", withFinalizers(marked.object, []));
    expect(released.metadata.finalizers).toEqual([]);
    expect(Number(released.metadata.resourceVersion)).toBe(Number(marked.object.metadata.resourceVersion) + 1);
    expect(store.tryGet(lhNodes, undefined, "k3s1")).toBeUndefined();
    expect(log).toEqual(["ADDED nodes/k3s1", "MODIFIED nodes/k3s1", "DELETED nodes/k3s1"]);
  });

  it("changes nothing on a second delete, also with --force --grace-period=0", () => {
    const clock = manualClock();
    const store = newStore(clock);
    store.create(configMaps, "default", withFinalizers(configMap("a"), ["example.com/hold"]));
    const first = store.delete(configMaps, "default", "a");
    const log = changeLog(store);
    clock.advance(10);
    const second = store.delete(configMaps, "default", "a");
    const forced = store.delete(configMaps, "default", "a", { gracePeriodSeconds: 0 });
    expect(second).toEqual({ object: first.object, removed: false });
    expect(forced).toEqual({ object: first.object, removed: false });
    expect(log).toEqual([]);
  });

  it("records the grace period asked for", () => {
    const store = newStore();
    store.create(configMaps, "default", withFinalizers(configMap("a"), ["x"]));
    expect(store.delete(configMaps, "default", "a", { gracePeriodSeconds: 0 }).object.metadata.deletionGracePeriodSeconds).toBe(0);
    store.create(configMaps, "default", withFinalizers(configMap("b"), ["x"]));
    expect(store.delete(configMaps, "default", "b", { gracePeriodSeconds: 7 }).object.metadata.deletionGracePeriodSeconds).toBe(7);
  });

  it("keeps the object through updates that leave a finalizer and refuses new finalizers", () => {
    const store = newStore();
    store.create(configMaps, "default", withFinalizers(configMap("a"), ["one", "two"]));
    const marked = store.delete(configMaps, "default", "a").object;
    const fewer = store.update(configMaps, "default", "a", withFinalizers(marked, ["two"]));
    expect(fewer.metadata.finalizers).toEqual(["two"]);
    const error = apiErrorOf(() => store.update(configMaps, "default", "a", withFinalizers(fewer, ["two", "three"])));
    expect(error.code).toBe(422);
    expect(error.message).toBe(
      'ConfigMap "a" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"three"}',
    );
    expect(store.get(configMaps, "default", "a").metadata.finalizers).toEqual(["two"]);
  });

  it("keeps a deleting object when a status update carries empty finalizers", () => {
    const store = newStore();
    store.create(lhNodes, undefined, withFinalizers({ apiVersion: "longhorn.io/v1beta2", kind: "Node", metadata: { name: "n" } }, ["f"]));
    const marked = store.delete(lhNodes, undefined, "n").object;
    // A status update cannot touch metadata.finalizers, so the object stays.
    store.update(lhNodes, undefined, "n", { ...withFinalizers(marked, []), status: { x: 1 } }, { subresource: "status" });
    expect(store.get(lhNodes, undefined, "n")).toMatchObject({ status: { x: 1 }, metadata: { finalizers: ["f"] } });
  });
});

describe("Store.delete preconditions", () => {
  it("refuses a mismatched uid or resourceVersion with 409 and accepts matching ones", () => {
    const store = newStore();
    const created = store.create(configMaps, "default", configMap("a"));
    const byUid = apiErrorOf(() => store.delete(configMaps, "default", "a", { preconditions: { uid: "other" } }));
    expect([byUid.code, byUid.reason]).toEqual([409, "Conflict"]);
    expect(byUid.message).toBe(
      `Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: other, UID in object meta: ${created.metadata.uid}`,
    );
    const byVersion = apiErrorOf(() => store.delete(configMaps, "default", "a", { preconditions: { resourceVersion: "1" } }));
    expect(byVersion.message).toContain("Precondition failed: ResourceVersion in precondition: 1");
    expect(store.tryGet(configMaps, "default", "a")).toBeDefined();
    const preconditions = { uid: created.metadata.uid ?? "", resourceVersion: created.metadata.resourceVersion ?? "" };
    expect(store.delete(configMaps, "default", "a", { preconditions }).removed).toBe(true);
  });
});

// The store only marks; the kubelet of a Ready node ends the grace period (test/lab/kube-api/controllers/kubelet.test.ts).
describe("Store.delete of pods (graceful termination)", () => {
  it("marks a running pod for 30 s by default and keeps it until a delete with grace period 0", () => {
    const store = newStore();
    const log = changeLog(store);
    store.create(pods, "default", pod("web"));
    const result = store.delete(pods, "default", "web");
    expect(result.removed).toBe(false);
    expect(result.object.metadata).toMatchObject({ deletionTimestamp: "2025-03-01T12:00:30Z", deletionGracePeriodSeconds: 30 });
    expect(store.tryGet(pods, "default", "web")).toBeDefined();
    expect(store.delete(pods, "default", "web", { gracePeriodSeconds: 0 }).removed).toBe(true);
    expect(log).toEqual(["ADDED pods/web", "MODIFIED pods/web", "DELETED pods/web"]);
  });

  it("uses the pod's terminationGracePeriodSeconds and an explicit grace period over it", () => {
    const store = newStore();
    store.create(pods, "default", pod("a", { nodeName: "k3s1", terminationGracePeriodSeconds: 5 }));
    expect(store.delete(pods, "default", "a").object.metadata.deletionGracePeriodSeconds).toBe(5);
    store.create(pods, "default", pod("b", { nodeName: "k3s1", terminationGracePeriodSeconds: 5 }));
    expect(store.delete(pods, "default", "b", { gracePeriodSeconds: 2 }).object.metadata.deletionGracePeriodSeconds).toBe(2);
  });

  it("lets a later delete shorten, never lengthen, the grace period", () => {
    const store = newStore();
    store.create(pods, "default", pod("web"));
    store.delete(pods, "default", "web", { gracePeriodSeconds: 10 });
    expect(store.delete(pods, "default", "web", { gracePeriodSeconds: 60 }).object.metadata.deletionGracePeriodSeconds).toBe(10);
    expect(store.delete(pods, "default", "web", { gracePeriodSeconds: 3 }).object.metadata).toMatchObject({
      deletionGracePeriodSeconds: 3,
      deletionTimestamp: "2025-03-01T12:00:03Z",
    });
  });

  it("removes pods that are not on a node or have finished at once", () => {
    const store = newStore();
    store.create(pods, "default", pod("pending", {}));
    store.create(pods, "default", { ...pod("done"), status: { phase: "Succeeded" } });
    expect(store.delete(pods, "default", "pending").removed).toBe(true);
    expect(store.delete(pods, "default", "done").removed).toBe(true);
  });

  it("keeps a pod with finalizers after its grace period ends until they are emptied", () => {
    const store = newStore();
    store.create(pods, "default", pod("web", { nodeName: "k3s1" }, ["example.com/hold"]));
    store.delete(pods, "default", "web", { gracePeriodSeconds: 5 });
    const ended = store.delete(pods, "default", "web", { gracePeriodSeconds: 0 });
    expect(ended.removed).toBe(false);
    expect(ended.object.metadata.deletionGracePeriodSeconds).toBe(0);
    store.update(pods, "default", "web", withFinalizers(ended.object, []));
    expect(store.tryGet(pods, "default", "web")).toBeUndefined();
  });

  it("keeps a pod whose finalizers are emptied during its grace period", () => {
    const store = newStore();
    store.create(pods, "default", pod("web", { nodeName: "k3s1" }, ["f"]));
    const marked = store.delete(pods, "default", "web", { gracePeriodSeconds: 5 }).object;
    store.update(pods, "default", "web", withFinalizers(marked, []));
    expect(store.tryGet(pods, "default", "web")).toBeDefined();
    expect(store.delete(pods, "default", "web", { gracePeriodSeconds: 0 }).removed).toBe(true);
  });

  it("sets no timer of its own", () => {
    fakeTimers();
    const store = newStore();
    store.create(pods, "default", pod("web"));
    store.delete(pods, "default", "web");
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("Store.delete of namespaces", () => {
  it("removes an empty namespace at once", () => {
    const store = newStore();
    store.create(namespaces, undefined, namespace("scratch"));
    expect(store.delete(namespaces, undefined, "scratch").removed).toBe(true);
    expect(store.tryGet(namespaces, undefined, "scratch")).toBeUndefined();
  });

  it("removes the content, keeps finalized objects and stays Terminating until they go", () => {
    const store = newStore();
    store.create(namespaces, undefined, namespace("drill"));
    store.create(configMaps, "drill", configMap("plain"));
    store.create(configMaps, "drill", withFinalizers(configMap("held"), ["example.com/hold"]));
    store.create(pods, "drill", pod("running"));
    store.create(configMaps, "default", configMap("elsewhere"));
    const log = changeLog(store);

    const result = store.delete(namespaces, undefined, "drill");
    expect(result.removed).toBe(false);
    expect(result.object).toMatchObject({ status: { phase: "Terminating" }, metadata: { deletionTimestamp: "2025-03-01T12:00:00Z" } });
    expect(log).toEqual(["MODIFIED namespaces/drill", "DELETED configmaps/plain", "MODIFIED configmaps/held", "DELETED pods/running"]);
    expect(store.list(configMaps, "drill").items.map((o) => o.metadata.name)).toEqual(["held"]);
    expect(store.tryGet(configMaps, "default", "elsewhere")).toBeDefined();

    const forbidden = apiErrorOf(() => store.create(configMaps, "drill", configMap("late")));
    expect([forbidden.code, forbidden.reason, forbidden.message]).toEqual([
      403,
      "Forbidden",
      'configmaps "late" is forbidden: unable to create new content in namespace drill because it is being terminated',
    ]);

    const held = store.get(configMaps, "drill", "held");
    store.update(configMaps, "drill", "held", withFinalizers(held, []));
    expect(log.slice(4)).toEqual(["DELETED configmaps/held", "DELETED namespaces/drill"]);
    expect(store.tryGet(namespaces, undefined, "drill")).toBeUndefined();
  });

  it("keeps a namespace that has finalizers of its own until they are emptied", () => {
    const store = newStore();
    store.create(namespaces, undefined, withFinalizers(namespace("held"), ["example.com/ns"]));
    const marked = store.delete(namespaces, undefined, "held");
    expect(marked.removed).toBe(false);
    store.update(namespaces, undefined, "held", withFinalizers(marked.object, []));
    expect(store.tryGet(namespaces, undefined, "held")).toBeUndefined();
  });
});
