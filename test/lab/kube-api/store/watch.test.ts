import { afterEach, describe, expect, it, vi } from "vitest";
import { Store, type StoreOptions } from "../../../../src/lab/kube-api/store/store.js";
import type { KubeObject } from "../../../../src/lab/kube-api/types.js";
import { apiErrorOf, configMap, configMaps, eventLog, lhNodes, manualClock, namespace, namespaces, pods } from "./fixtures.js";

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  vi.useRealTimers();
});

function newStore(options: StoreOptions = {}): Store {
  const store = new Store({ clock: manualClock().now, ...options });
  stores.push(store);
  store.create(namespaces, undefined, namespace("default"));
  store.create(namespaces, undefined, namespace("other"));
  return store;
}

const rvOf = (object: KubeObject): number => Number(object.metadata.resourceVersion);
const relabel = (store: Store, name: string, labels: Record<string, string>) =>
  store.update(configMaps, "default", name, { ...store.get(configMaps, "default", name), metadata: { name, labels } });

describe("Store.watch from now", () => {
  it("streams ADDED, MODIFIED and DELETED for its type and namespace only", () => {
    const store = newStore();
    const log = eventLog();
    store.watch(configMaps, "default", {}, log.push);
    const a = store.create(configMaps, "default", configMap("a"));
    store.create(configMaps, "other", configMap("elsewhere"));
    store.create(lhNodes, undefined, { apiVersion: "longhorn.io/v1beta2", kind: "Node", metadata: { name: "k3s1" } });
    const a2 = store.update(configMaps, "default", "a", configMap("a", { v: "2" }));
    const removed = store.delete(configMaps, "default", "a");
    expect(log.lines()).toEqual([`ADDED a@${rvOf(a)}`, `MODIFIED a@${rvOf(a2)}`, `DELETED a@${rvOf(a2) + 1}`]);
    expect(log.events[2]?.object).toEqual(removed.object);
    expect(log.events[2]?.object.data).toEqual({ v: "2" });
  });

  it("sees every namespace when watching all of them", () => {
    const store = newStore();
    const log = eventLog();
    store.watch(configMaps, undefined, {}, log.push);
    store.create(configMaps, "default", configMap("a"));
    store.create(configMaps, "other", configMap("b"));
    expect(log.events.map((e) => `${e.object.metadata.namespace}/${e.object.metadata.name}`)).toEqual(["default/a", "other/b"]);
  });

  it("treats an empty resourceVersion like an absent one", () => {
    const store = newStore();
    store.create(configMaps, "default", configMap("old"));
    const log = eventLog();
    store.watch(configMaps, "default", { resourceVersion: "" }, log.push);
    store.create(configMaps, "default", configMap("new"));
    expect(log.events.map((e) => e.object.metadata.name)).toEqual(["new"]);
  });

  it("stops sending after stop()", () => {
    const store = newStore();
    const log = eventLog();
    const handle = store.watch(configMaps, "default", {}, log.push);
    store.create(configMaps, "default", configMap("a"));
    handle.stop();
    handle.stop();
    store.create(configMaps, "default", configMap("b"));
    expect(log.events.map((e) => e.object.metadata.name)).toEqual(["a"]);
  });

  it("hands each watcher its own copy", () => {
    const store = newStore();
    const first = eventLog();
    const second = eventLog();
    store.watch(configMaps, "default", {}, (event) => {
      event.object.metadata.name = "mutated";
      first.push(event);
    });
    store.watch(configMaps, "default", {}, second.push);
    store.create(configMaps, "default", configMap("a"));
    expect(second.events[0]?.object.metadata.name).toBe("a");
    expect(store.get(configMaps, "default", "a").metadata.name).toBe("a");
  });

  it("stops a watcher whose consumer throws and keeps the others and the store going", () => {
    const errors: string[] = [];
    const store = newStore({ onListenerError: (error, context) => errors.push(`${context}: ${(error as Error).message}`) });
    let calls = 0;
    store.watch(configMaps, "default", {}, () => {
      calls++;
      throw new Error("socket closed");
    });
    const healthy = eventLog();
    store.watch(configMaps, "default", {}, healthy.push);
    store.create(configMaps, "default", configMap("a"));
    store.create(configMaps, "default", configMap("b"));
    expect(calls).toBe(1);
    expect(healthy.events).toHaveLength(2);
    expect(errors).toEqual(["watch on configmaps: socket closed"]);
  });
});

describe("Store.watch from resourceVersion 0", () => {
  it("first sends ADDED for every current object, then changes", () => {
    const store = newStore();
    store.create(configMaps, "default", configMap("b"));
    store.create(configMaps, "default", configMap("a"));
    store.create(configMaps, "other", configMap("c"));
    const log = eventLog();
    store.watch(configMaps, "default", { resourceVersion: "0" }, log.push);
    store.delete(configMaps, "default", "b");
    expect(log.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED a", "ADDED b", "DELETED b"]);
  });
});

describe("Store.watch resuming from a resourceVersion", () => {
  it("replays the changes after it, then continues live without duplicates", () => {
    const store = newStore();
    const a = store.create(configMaps, "default", configMap("a"));
    const listed = store.list(configMaps, "default").resourceVersion;
    store.update(configMaps, "default", "a", configMap("a", { v: "2" }));
    store.create(configMaps, "default", configMap("b"));
    store.delete(configMaps, "default", "a");
    const log = eventLog();
    store.watch(configMaps, "default", { resourceVersion: listed }, log.push);
    store.create(configMaps, "default", configMap("c"));
    const base = rvOf(a);
    expect(log.lines()).toEqual([`MODIFIED a@${base + 1}`, `ADDED b@${base + 2}`, `DELETED a@${base + 3}`, `ADDED c@${base + 4}`]);
  });

  it("answers 504 for a resourceVersion it has not reached, and 400 for a malformed one", () => {
    const store = newStore();
    const current = store.resourceVersion();
    const future = String(Number(current) + 1);
    const tooLarge = apiErrorOf(() => store.watch(configMaps, "default", { resourceVersion: future }, () => {}));
    expect([tooLarge.code, tooLarge.reason, tooLarge.message]).toEqual([
      504,
      "Timeout",
      `Timeout: Too large resource version: ${future}, current: ${current}`,
    ]);
    expect(apiErrorOf(() => store.watch(configMaps, "default", { resourceVersion: "abc" }, () => {})).code).toBe(400);
  });

  it("answers 410 Gone for a resourceVersion older than the history, and resumes from the oldest kept", () => {
    const store = newStore({ historyLimit: 3 });
    const start = store.resourceVersion();
    for (const name of ["a", "b", "c", "d", "e"]) store.create(configMaps, "default", configMap(name));
    const oldestResumable = String(Number(store.resourceVersion()) - 3);
    const error = apiErrorOf(() => store.watch(configMaps, "default", { resourceVersion: start }, () => {}));
    expect([error.code, error.reason, error.message]).toEqual([410, "Expired", `too old resource version: ${start} (${oldestResumable})`]);
    const log = eventLog();
    store.watch(configMaps, "default", { resourceVersion: oldestResumable }, log.push);
    expect(log.events.map((e) => e.object.metadata.name)).toEqual(["c", "d", "e"]);
  });

  it("refuses a resourceVersion that is not a number with 400", () => {
    const error = apiErrorOf(() => newStore().watch(configMaps, "default", { resourceVersion: "abc" }, () => {}));
    expect(error.code).toBe(400);
    expect(error.message).toContain('"abc"');
  });
});

describe("Store.watch with filters", () => {
  const isWeb = (labels: Record<string, string> | undefined) => labels?.app === "web";

  it("sends an object that starts matching as ADDED and one that stops matching as DELETED", () => {
    const store = newStore();
    store.create(configMaps, "default", configMap("a", {}, { app: "db" }));
    const log = eventLog();
    store.watch(configMaps, "default", { labels: isWeb }, log.push);
    const joined = relabel(store, "a", { app: "web" });
    const changed = relabel(store, "a", { app: "web", tier: "1" });
    const left = relabel(store, "a", { app: "db" });
    relabel(store, "a", { app: "db", tier: "2" });
    expect(log.lines()).toEqual([`ADDED a@${rvOf(joined)}`, `MODIFIED a@${rvOf(changed)}`, `DELETED a@${rvOf(left)}`]);
    // The DELETED event carries the last matching content with the change's resourceVersion.
    expect(log.events[2]?.object.metadata.labels).toEqual({ app: "web", tier: "1" });
  });

  it("applies the same transitions when replaying history", () => {
    const store = newStore();
    store.create(configMaps, "default", configMap("a", {}, { app: "db" }));
    const from = store.resourceVersion();
    relabel(store, "a", { app: "web" });
    relabel(store, "a", { app: "db" });
    const log = eventLog();
    store.watch(configMaps, "default", { resourceVersion: from, labels: isWeb }, log.push);
    expect(log.events.map((e) => e.type)).toEqual(["ADDED", "DELETED"]);
  });

  it("follows a field selector like kubectl wait --for=delete", () => {
    const store = newStore();
    store.create(pods, "default", { apiVersion: "v1", kind: "Pod", metadata: { name: "target" }, spec: {} });
    store.create(pods, "default", { apiVersion: "v1", kind: "Pod", metadata: { name: "bystander" }, spec: {} });
    const log = eventLog();
    const byName = (o: KubeObject) => o.metadata.name === "target";
    store.watch(
      pods,
      "default",
      { resourceVersion: store.list(pods, "default", { fields: byName }).resourceVersion, fields: byName },
      log.push,
    );
    store.delete(pods, "default", "bystander");
    store.delete(pods, "default", "target");
    expect(log.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["DELETED target"]);
  });
});

describe("Store.watch bookmarks", () => {
  /** Fake only the timer functions: the store's clock is injected, so Date stays real. */
  const fakeTimers = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });

  it("sends a BOOKMARK with only kind, apiVersion and the current resourceVersion every interval", () => {
    fakeTimers();
    const store = newStore({ bookmarkIntervalMs: 50 });
    const log = eventLog();
    store.watch(lhNodes, undefined, { allowBookmarks: true }, log.push);
    vi.advanceTimersByTime(50);
    store.create(configMaps, "default", configMap("unrelated"));
    vi.advanceTimersByTime(50);
    expect(log.events).toEqual([
      {
        type: "BOOKMARK",
        object: {
          kind: "Node",
          apiVersion: "longhorn.io/v1beta2",
          metadata: { resourceVersion: String(Number(store.resourceVersion()) - 1) },
        },
      },
      {
        type: "BOOKMARK",
        object: { kind: "Node", apiVersion: "longhorn.io/v1beta2", metadata: { resourceVersion: store.resourceVersion() } },
      },
    ]);
  });

  it("sends none without allowBookmarks, and none after stop or close", () => {
    fakeTimers();
    const store = newStore({ bookmarkIntervalMs: 50 });
    const plain = eventLog();
    store.watch(configMaps, "default", {}, plain.push);
    const stopped = eventLog();
    store.watch(configMaps, "default", { allowBookmarks: true }, stopped.push).stop();
    const closed = eventLog();
    store.watch(configMaps, "default", { allowBookmarks: true }, closed.push);
    vi.advanceTimersByTime(50);
    store.close();
    vi.advanceTimersByTime(500);
    expect([plain.events.length, stopped.events.length, closed.events.length]).toEqual([0, 0, 1]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
