import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FixtureError, type KubeApi, type StoreChange, startKubeApi } from "../../../../src/lab/kube-api/index.js";
import { httpRequest, watchEvents } from "../../../helpers/kube-api.js";

let api: KubeApi;
let dir: string;
beforeAll(async () => {
  api = await startKubeApi();
  dir = await mkdtemp(join(tmpdir(), "recover-control-"));
});
afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  api.control.clearFaults();
  api.control.clearRequests();
});

const lhnType = () => api.registry.lookup("longhorn.io", "v1beta2", "nodes");

describe("fixtures", () => {
  it("loads a directory: CRDs first (their type gets served), then namespaces, then objects in them", async () => {
    const fixtures = join(dir, "fixtures");
    await mkdir(join(fixtures, "nested"), { recursive: true });
    // Sorted by name the widget comes before its CRD: the loader must order them.
    await writeFile(
      join(fixtures, "a-widgets.yaml"),
      "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1, namespace: gadgets}\nspec: {size: 3}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\ndata: {a: b}\n",
    );
    await writeFile(
      join(fixtures, "nested", "z-crd.yaml"),
      [
        "apiVersion: apiextensions.k8s.io/v1",
        "kind: CustomResourceDefinition",
        "metadata: {name: gadgets.example.com}",
        "spec:",
        "  group: example.com",
        "  scope: Namespaced",
        "  names: {plural: gadgets, singular: gadget, kind: Gadget}",
        "  versions: [{name: v1, served: true, storage: true}]",
      ].join("\n"),
    );
    await writeFile(join(fixtures, "ignored.txt"), "not yaml: [");
    expect(await api.control.load(fixtures)).toBe(3);
    const gadgets = api.registry.lookup("example.com", "v1", "gadgets");
    expect(gadgets?.kind).toBe("Gadget");
    expect(api.store.get(gadgets as NonNullable<typeof gadgets>, "gadgets", "g1").spec).toEqual({ size: 3 });
    const namespaces = api.registry.lookup("", "v1", "namespaces") as NonNullable<ReturnType<typeof lhnType>>;
    expect(api.store.get(namespaces, undefined, "gadgets").status).toEqual({ phase: "Active" });
    const configmaps = api.registry.lookup("", "v1", "configmaps") as NonNullable<ReturnType<typeof lhnType>>;
    expect(api.store.get(configmaps, "default", "plain").data).toEqual({ a: "b" });
  });

  it("loads objects given in-process, and the project's Longhorn CRDs are served by default", async () => {
    const loaded = await api.control.load([
      {
        apiVersion: "longhorn.io/v1beta2",
        kind: "Node",
        metadata: { name: "k3s1", namespace: "longhorn-system" },
        spec: { allowScheduling: true },
      },
    ]);
    expect(loaded).toBe(1);
    expect(api.store.get(lhnType() as NonNullable<ReturnType<typeof lhnType>>, "longhorn-system", "k3s1").spec).toEqual({
      allowScheduling: true,
    });
  });

  it("refuses unknown kinds and broken files with a FixtureError naming them, loading nothing", async () => {
    await expect(api.control.load([{ apiVersion: "nope.io/v1", kind: "Thing", metadata: { name: "t" } }])).rejects.toThrow(
      /no resource type serves nope\.io\/v1 Thing/,
    );
    const broken = join(dir, "broken.yaml");
    await writeFile(broken, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\nkind: ConfigMap\nmetadata: {}\n");
    const error = await api.control.load(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FixtureError);
    expect((error as FixtureError).message).toBe(`${broken}: document 2: missing apiVersion, metadata.name`);
    await expect(api.control.load(join(dir, "absent"))).rejects.toThrow(/no such file or directory/);
  });
});

describe("request log", () => {
  it("records method, path, query, user agent, status and duration of API requests, not control ones", async () => {
    await httpRequest(api.url, "/api/v1/namespaces/default/configmaps?limit=500&labelSelector=a%3Db", {
      headers: { "User-Agent": "probe/1.0" },
    });
    await httpRequest(api.url, "/api/v1/namespaces/default/configmaps/absent");
    await httpRequest(api.url, "/recover-lab/v1/requests");
    const log = api.control.requests();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      method: "GET",
      path: "/api/v1/namespaces/default/configmaps",
      query: { limit: "500", labelSelector: "a=b" },
      userAgent: "probe/1.0",
      status: 200,
    });
    expect(log[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(log[0]?.time ?? "")).not.toBeNaN();
    expect(log[1]?.status).toBe(404);
    api.control.clearRequests();
    expect(api.control.requests()).toEqual([]);
  });
});

describe("request log of open exchanges", () => {
  it("shows a watch as pending with its status while it is open, and complete after", async () => {
    let seen: ReturnType<typeof api.control.requests> = [];
    await watchEvents(
      api.url,
      "/api/v1/namespaces/default/configmaps?watch=true",
      () => true,
      () => {
        seen = api.control.requests();
        void httpRequest(api.url, "/api/v1/namespaces/default/configmaps", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "wake-the-watch" } }),
        });
      },
    );
    expect(seen).toEqual([expect.objectContaining({ query: { watch: "true" }, status: 200, pending: true })]);
    await expect.poll(() => api.control.requests()[0]?.pending).toBeUndefined();
    expect(api.control.requests()[0]?.status).toBe(200);
  });
});

describe("faults", () => {
  const path = "/api/v1/namespaces/default/configmaps";

  it("answers N matching requests with the status, then recovers", async () => {
    const fault = api.control.inject({ path, status: 500, message: "etcd is sad", times: 2 });
    for (let i = 0; i < 2; i++) {
      const result = await httpRequest(api.url, path);
      expect(result.status).toBe(500);
      expect(result.json).toMatchObject({ kind: "Status", reason: "InternalError", message: "etcd is sad", code: 500 });
    }
    expect(fault.remaining()).toBe(0);
    expect((await httpRequest(api.url, path)).status).toBe(200);
    expect(api.control.requests().map((r) => r.fault)).toEqual(["status", "status", undefined]);
  });

  it("matches by method and by RegExp over path and query", async () => {
    api.control.inject({ method: "DELETE", path: /\/configmaps\/doomed$/, status: 503, times: Number.POSITIVE_INFINITY });
    expect((await httpRequest(api.url, `${path}/doomed`)).status).toBe(404);
    expect((await httpRequest(api.url, `${path}/doomed`, { method: "DELETE" })).status).toBe(503);
    expect((await httpRequest(api.url, `${path}/doomed`, { method: "DELETE" })).status).toBe(503);
    api.control.inject({ path: /watch=true/, status: 429 });
    expect((await httpRequest(api.url, `${path}?watch=true`)).status).toBe(429);
    api.control.clearFaults();
    expect((await httpRequest(api.url, `${path}/doomed`, { method: "DELETE" })).status).toBe(404);
  });

  it("delays a request and then answers it normally", async () => {
    api.control.inject({ path: "/version", delayMs: 300 });
    const result = await httpRequest(api.url, "/version");
    expect(result.status).toBe(200);
    expect(api.control.requests()[0]).toMatchObject({ fault: "delay", status: 200 });
  });

  it("hangs a request until the client gives up, and drops a connection", async () => {
    api.control.inject({ path: "/version", hang: true });
    await expect(httpRequest(api.url, "/version", { timeoutMs: 500 })).rejects.toThrow(/no answer/);
    api.control.inject({ path: "/version", drop: true });
    await expect(httpRequest(api.url, "/version")).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await httpRequest(api.url, "/version")).status).toBe(200);
  });

  it("rejects a fault that makes no sense", () => {
    expect(() => api.control.inject({ path, hang: true, drop: true })).toThrow(/choose one of status, hang and drop/);
    expect(() => api.control.inject({ path, status: 42 })).toThrow(/status must be an HTTP status code/);
  });
});

describe("change hooks", () => {
  it("calls hooks after every stored change until unsubscribed", async () => {
    const changes: StoreChange[] = [];
    const off = api.control.onChange((change) => changes.push(change));
    const headers = { "Content-Type": "application/json" };
    await httpRequest(api.url, "/api/v1/namespaces/default/configmaps", {
      method: "POST",
      headers,
      body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "hooked" } }),
    });
    await httpRequest(api.url, "/api/v1/namespaces/default/configmaps/hooked", { method: "DELETE" });
    off();
    await httpRequest(api.url, "/api/v1/namespaces/default/configmaps", {
      method: "POST",
      headers,
      body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "unheard" } }),
    });
    expect(changes.map((c) => [c.type, c.resource.resource, c.object.metadata.name])).toEqual([
      ["ADDED", "configmaps", "hooked"],
      ["DELETED", "configmaps", "hooked"],
    ]);
  });
});

describe("control over HTTP", () => {
  const control = "/recover-lab/v1";
  const json = { "Content-Type": "application/json" };

  it("injects, lists and clears faults", async () => {
    const injected = await httpRequest(api.url, `${control}/faults`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ pathPattern: "^/api/v1/namespaces/default/secrets", status: 500, times: "Infinity" }),
    });
    expect(injected.status).toBe(201);
    expect(injected.json).toMatchObject({
      path: /^\/api\/v1\/namespaces\/default\/secrets/.source,
      pathPattern: true,
      remaining: "Infinity",
      status: 500,
    });
    expect((await httpRequest(api.url, "/api/v1/namespaces/default/secrets")).status).toBe(500);
    expect((await httpRequest(api.url, `${control}/faults`)).json.items).toHaveLength(1);
    expect((await httpRequest(api.url, `${control}/faults/${injected.json.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await httpRequest(api.url, `${control}/faults/${injected.json.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await httpRequest(api.url, "/api/v1/namespaces/default/secrets")).status).toBe(200);
    const typo = await httpRequest(api.url, `${control}/faults`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ path: "/x", stauts: 500 }),
    });
    expect(typo.json).toMatchObject({ code: 400, message: "invalid fault: unknown field(s) stauts" });
  });

  it("reads and clears the request log and loads fixtures from the body", async () => {
    await httpRequest(api.url, "/version");
    const log = await httpRequest(api.url, `${control}/requests`);
    expect(log.json.items).toEqual([expect.objectContaining({ method: "GET", path: "/version", status: 200 })]);
    await httpRequest(api.url, `${control}/requests`, { method: "DELETE" });
    expect(api.control.requests()).toEqual([]);
    const loaded = await httpRequest(api.url, `${control}/fixtures`, {
      method: "POST",
      headers: { "Content-Type": "application/yaml" },
      body: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-http}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s-http}\n",
    });
    expect(loaded.json).toEqual({ loaded: 2 });
    expect((await httpRequest(api.url, "/api/v1/namespaces/default/configmaps/from-http")).status).toBe(200);
    const bad = await httpRequest(api.url, `${control}/fixtures`, { method: "POST", body: "kind: Nope\n" });
    expect(bad.json).toMatchObject({ code: 400, reason: "BadRequest" });
    expect((await httpRequest(api.url, `${control}/nope`)).status).toBe(404);
  });
});
