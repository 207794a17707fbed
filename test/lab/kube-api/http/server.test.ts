import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeApi, startKubeApi } from "../../../../src/lab/kube-api/index.js";
import { httpRequest, type Json, watchEvents } from "../../../helpers/kube-api.js";

const AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const AGGREGATED_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

let api: KubeApi;
beforeAll(async () => {
  api = await startKubeApi();
});
afterAll(async () => {
  await api?.close();
});

const configmap = (name: string, data: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data });

describe("discovery and meta endpoints", () => {
  it("answers /version as Kubernetes 1.32 and the health checks with ok", async () => {
    const version = await httpRequest(api.url, "/version");
    expect(version.status).toBe(200);
    expect(version.json).toMatchObject({ major: "1", minor: "32" });
    for (const path of ["/healthz", "/livez", "/readyz", "/readyz/ping"]) {
      expect(await httpRequest(api.url, path)).toMatchObject({ status: 200, text: "ok" });
    }
  });

  it("negotiates aggregated discovery v2, v2beta1 or plain by the Accept header", async () => {
    const v2 = await httpRequest(api.url, "/apis", { headers: { Accept: `${AGGREGATED_V2},${AGGREGATED_V2BETA1},application/json` } });
    expect(v2.headers["content-type"]).toBe(AGGREGATED_V2);
    expect(v2.json.kind).toBe("APIGroupDiscoveryList");
    const beta = await httpRequest(api.url, "/api", { headers: { Accept: `${AGGREGATED_V2BETA1},application/json` } });
    expect(beta.headers["content-type"]).toBe(AGGREGATED_V2BETA1);
    const plain = await httpRequest(api.url, "/apis");
    expect(plain.headers["content-type"]).toBe("application/json");
    expect(plain.json.kind).toBe("APIGroupList");
    expect(plain.json.groups.map((g: { name: string }) => g.name)).toContain("longhorn.io");
  });

  it("serves plain resource lists, the API group and OpenAPI v3 and v2", async () => {
    const core = await httpRequest(api.url, "/api/v1");
    expect(core.json.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(["pods", "nodes/status"]));
    expect((await httpRequest(api.url, "/apis/longhorn.io")).json).toMatchObject({
      kind: "APIGroup",
      preferredVersion: { version: "v1beta2" },
    });
    const root = await httpRequest(api.url, "/openapi/v3");
    const longhorn = root.json.paths["apis/longhorn.io/v1beta2"].serverRelativeURL as string;
    expect((await httpRequest(api.url, longhorn)).json.openapi).toMatch(/^3\./);
    const v2 = await httpRequest(api.url, "/openapi/v2");
    expect(v2.status).toBe(200);
    expect(v2.json.paths["/api/v1/namespaces/{namespace}/configmaps/{name}"].patch["x-kubernetes-group-version-kind"]).toEqual({
      group: "",
      kind: "ConfigMap",
      version: "v1",
    });
    const protobuf = await httpRequest(api.url, "/openapi/v2", {
      headers: { Accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" },
    });
    expect(protobuf.headers["content-type"]).toBe("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    expect((await httpRequest(api.url, "/apis/nope.example.com/v1")).status).toBe(404);
  });

  it("answers 304 to a discovery request that presents the current ETag", async () => {
    const headers = { Accept: AGGREGATED_V2 };
    const first = await httpRequest(api.url, "/apis", { headers });
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    expect((await httpRequest(api.url, "/apis", { headers: { ...headers, "If-None-Match": etag } })).status).toBe(304);
  });
});

describe("malformed and wrong requests get a Status, never a crash", () => {
  const expectStatus = (result: { status: number; json: Json }, code: number, reason: string) => {
    expect(result.status).toBe(code);
    expect(result.json).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", code, reason });
  };

  it("404s unknown paths, unknown resources and namespaced URLs of cluster types", async () => {
    expectStatus(await httpRequest(api.url, "/nope"), 404, "NotFound");
    expectStatus(await httpRequest(api.url, "/api/v1/widgets"), 404, "NotFound");
    expectStatus(await httpRequest(api.url, "/api/v1/namespaces/default/nodes"), 404, "NotFound");
    expectStatus(await httpRequest(api.url, "/api/v1/pods/orphan"), 404, "NotFound");
    expectStatus(await httpRequest(api.url, "/api/v1/namespaces/default/configmaps/x/y/z"), 404, "NotFound");
    expectStatus(await httpRequest(api.url, "/api/v1/namespaces/%E0%A4%A/configmaps"), 404, "NotFound");
    const missing = await httpRequest(api.url, "/api/v1/namespaces/default/configmaps/absent");
    expectStatus(missing, 404, "NotFound");
    expect(missing.json.message).toBe('configmaps "absent" not found');
  });

  it("400s bad JSON, non-object bodies and mismatched kinds or namespaces", async () => {
    const post = (body: string, path = "/api/v1/namespaces/default/configmaps") =>
      httpRequest(api.url, path, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    expectStatus(await post("{not json"), 400, "BadRequest");
    expectStatus(await post(""), 400, "BadRequest");
    expectStatus(await post("[1,2]"), 400, "BadRequest");
    expectStatus(await post(JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" } })), 400, "BadRequest");
    const elsewhere = await post(
      JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "kube-system" } }),
    );
    expectStatus(elsewhere, 400, "BadRequest");
    expect(elsewhere.json.message).toContain("does not match the namespace");
    const patch = await httpRequest(api.url, "/api/v1/namespaces/default/configmaps/absent", {
      method: "PATCH",
      headers: { "Content-Type": "text/plain" },
      body: "x",
    });
    expectStatus(patch, 415, "UnsupportedMediaType");
  });

  it("413s bodies over 3 MiB and 415s protobuf", async () => {
    const huge = await httpRequest(api.url, "/api/v1/namespaces/default/configmaps", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: Buffer.alloc(3 * 1024 * 1024 + 10, 0x20),
    });
    expectStatus(huge, 413, "RequestEntityTooLarge");
    const chunked = await httpRequest(api.url, "/api/v1/namespaces/default/configmaps", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
      body: Buffer.alloc(4 * 1024 * 1024, 0x20),
    });
    expectStatus(chunked, 413, "RequestEntityTooLarge");
    const proto = await httpRequest(api.url, "/api/v1/namespaces/default/configmaps", {
      method: "POST",
      headers: { "Content-Type": "application/vnd.kubernetes.protobuf" },
      body: Buffer.from([0x6b, 0x38, 0x73, 0x00]),
    });
    expect(proto.status).toBe(415);
  });

  it("400s a body nested deeper than the server handles, and 422s a malformed CRD, instead of a 500", async () => {
    const post = (path: string, body: string, contentType = "application/json") =>
      httpRequest(api.url, path, { method: "POST", headers: { "Content-Type": contentType }, body });
    const depth = 5000;
    const deep = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const nested = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":{},"x":${deep}}`;
    expectStatus(await post("/api/v1/namespaces/default/configmaps", nested), 400, "BadRequest");
    const yamlNested = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const apply = await httpRequest(api.url, "/api/v1/namespaces/default/configmaps/deep?fieldManager=t", {
      method: "PATCH",
      headers: { "Content-Type": "application/apply-patch+yaml" },
      body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${yamlNested}}`,
    });
    expectStatus(apply, 400, "BadRequest");
    expect((await httpRequest(api.url, "/api/v1/namespaces/default/configmaps/deep")).status).toBe(404);
    const crd = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "x.example.com" } };
    for (const spec of [{ versions: 5 }, { names: "x", versions: [1] }, 7]) {
      expectStatus(await post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", JSON.stringify({ ...crd, spec })), 422, "Invalid");
    }
  });

  it("405s methods a URL does not take", async () => {
    expectStatus(await httpRequest(api.url, "/version", { method: "POST", body: "{}" }), 405, "MethodNotAllowed");
    expectStatus(
      await httpRequest(api.url, "/api/v1/namespaces/default/configmaps", { method: "PUT", body: "{}" }),
      405,
      "MethodNotAllowed",
    );
    expectStatus(
      await httpRequest(api.url, "/api/v1/namespaces/default/configmaps/x", { method: "POST", body: "{}" }),
      405,
      "MethodNotAllowed",
    );
    expectStatus(await httpRequest(api.url, "/api/v1/namespaces/default/configmaps", { method: "OPTIONS" }), 405, "MethodNotAllowed");
  });

  it("answers garbage on the socket with 400 and keeps serving", async () => {
    const url = new URL(api.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write("THIS IS NOT HTTP\r\n\r\n"));
      let data = "";
      socket.on("data", (c) => {
        data += c.toString();
      });
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('"kind":"Status"');
    expect((await httpRequest(api.url, "/version")).status).toBe(200);
  });
});

describe("writes", () => {
  it("creates with 201, reads back, refuses a duplicate with 409 and honours dryRun=All", async () => {
    const path = "/api/v1/namespaces/default/configmaps";
    const headers = { "Content-Type": "application/json" };
    const created = await httpRequest(api.url, `${path}?fieldManager=tester`, {
      method: "POST",
      headers,
      body: configmap("w1", { a: "1" }),
    });
    expect(created.status).toBe(201);
    expect(created.json.metadata).toMatchObject({ name: "w1", namespace: "default" });
    expect(created.json.metadata.managedFields?.[0]?.manager).toBe("tester");
    expect((await httpRequest(api.url, `${path}/w1`)).json.data).toEqual({ a: "1" });
    const again = await httpRequest(api.url, path, { method: "POST", headers, body: configmap("w1") });
    expect(again.json).toMatchObject({ code: 409, reason: "AlreadyExists" });
    const dry = await httpRequest(api.url, `${path}?dryRun=All`, { method: "POST", headers, body: configmap("dry") });
    expect(dry.status).toBe(201);
    expect((await httpRequest(api.url, `${path}/dry`)).status).toBe(404);
  });

  it("refuses a POST carrying a resourceVersion with the storage layer's bare 500, as the real server does", async () => {
    const body = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dumped", resourceVersion: "42" } });
    const headers = { "Content-Type": "application/json" };
    const refused = await httpRequest(api.url, "/api/v1/namespaces/default/configmaps", { method: "POST", headers, body });
    expect(refused.status).toBe(500);
    expect(refused.json.message).toBe("resourceVersion should not be set on objects to be created");
    expect((await httpRequest(api.url, "/api/v1/namespaces/default/configmaps/dumped")).status).toBe(404);
    const zero = body.replace('"42"', '"0"');
    expect((await httpRequest(api.url, "/api/v1/namespaces/default/configmaps", { method: "POST", headers, body: zero })).status).toBe(201);
  });

  it("replaces with PUT, refusing a stale resourceVersion with 409 Conflict", async () => {
    const path = "/api/v1/namespaces/default/configmaps";
    const headers = { "Content-Type": "application/json" };
    const created = (await httpRequest(api.url, path, { method: "POST", headers, body: configmap("w2", { a: "1" }) })).json;
    const body = (data: Record<string, string>, resourceVersion: string) =>
      JSON.stringify({ ...created, data, metadata: { ...created.metadata, resourceVersion } });
    const put = await httpRequest(api.url, `${path}/w2`, {
      method: "PUT",
      headers,
      body: body({ a: "2" }, created.metadata.resourceVersion),
    });
    expect(put.status).toBe(200);
    expect(put.json.data).toEqual({ a: "2" });
    const stale = await httpRequest(api.url, `${path}/w2`, {
      method: "PUT",
      headers,
      body: body({ a: "3" }, created.metadata.resourceVersion),
    });
    expect(stale.json).toMatchObject({ code: 409, reason: "Conflict" });
    const renamed = await httpRequest(api.url, `${path}/w2`, { method: "PUT", headers, body: configmap("other") });
    expect(renamed.json).toMatchObject({ code: 400, reason: "BadRequest" });
  });

  it("writes only status through the status subresource, and only the rest through the main resource", async () => {
    const headers = { "Content-Type": "application/json" };
    const path = "/apis/longhorn.io/v1beta2/namespaces/longhorn-system/volumes";
    await api.control.load([
      {
        apiVersion: "longhorn.io/v1beta2",
        kind: "Volume",
        metadata: { name: "v1", namespace: "longhorn-system" },
        spec: { numberOfReplicas: 3 },
      },
    ]);
    const live = (await httpRequest(api.url, `${path}/v1`)).json;
    const changed = { ...live, spec: { numberOfReplicas: 1 }, status: { state: "attached" } };
    const status = await httpRequest(api.url, `${path}/v1/status`, { method: "PUT", headers, body: JSON.stringify(changed) });
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({ spec: { numberOfReplicas: 3 }, status: { state: "attached" } });
    const main = await httpRequest(api.url, `${path}/v1`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ ...status.json, spec: { numberOfReplicas: 2 }, status: { state: "detached" } }),
    });
    expect(main.json).toMatchObject({ spec: { numberOfReplicas: 2 }, status: { state: "attached" } });
    expect(main.json.metadata.generation).toBe(2);
    expect((await httpRequest(api.url, "/api/v1/namespaces/default/configmaps/x/status")).status).toBe(404);
  });

  it("deletes a collection by label selector", async () => {
    await api.control.load(
      ["a", "b", "c"].map((n) => ({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `dc-${n}`, labels: { batch: n === "c" ? "keep" : "drop" } },
      })),
    );
    const deleted = await httpRequest(api.url, "/api/v1/namespaces/default/configmaps?labelSelector=batch%3Ddrop", { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(deleted.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["dc-a", "dc-b"]);
    const left = await httpRequest(api.url, "/api/v1/namespaces/default/configmaps?labelSelector=batch");
    expect(left.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["dc-c"]);
    const badSelector = await httpRequest(api.url, "/api/v1/namespaces/default/configmaps?labelSelector=a%20in%20(");
    expect(badSelector.json).toMatchObject({ code: 400, reason: "BadRequest" });
  });

  it("creates a CRD at runtime, serves its type at once, and stops serving it after delete", async () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: {
        group: "example.com",
        scope: "Namespaced",
        names: { plural: "widgets", singular: "widget", kind: "Widget", shortNames: ["wd"] },
        versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }],
      },
    };
    const created = await httpRequest(api.url, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(crd),
    });
    expect(created.status).toBe(201);
    expect(created.json.status.conditions).toContainEqual(expect.objectContaining({ type: "Established", status: "True" }));
    expect((await httpRequest(api.url, "/apis/example.com/v1")).json.resources.map((r: { name: string }) => r.name)).toContain("widgets");
    const widget = JSON.stringify({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: 1 } });
    const path = "/apis/example.com/v1/namespaces/default/widgets";
    expect(
      (await httpRequest(api.url, path, { method: "POST", headers: { "Content-Type": "application/json" }, body: widget })).status,
    ).toBe(201);
    const deleted = await httpRequest(api.url, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com", {
      method: "DELETE",
    });
    expect(deleted.status).toBe(200);
    expect((await httpRequest(api.url, "/apis/example.com/v1")).status).toBe(404);
    expect((await httpRequest(api.url, `${path}/w`)).status).toBe(404);
    const invalid = await httpRequest(api.url, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...crd, metadata: { name: "bad.example.com" }, spec: { group: "example.com" } }),
    });
    expect(invalid.json).toMatchObject({ code: 422, reason: "Invalid" });
  });
});

describe("watch", () => {
  const path = "/api/v1/namespaces/default/configmaps";
  const headers = { "Content-Type": "application/json" };

  it("streams ADDED, MODIFIED and DELETED as JSON lines and resumes from a resourceVersion", async () => {
    const start = (await httpRequest(api.url, path)).json.metadata.resourceVersion as string;
    const watching = watchEvents(
      api.url,
      `${path}?watch=true&fieldSelector=metadata.name%3Dwatched&resourceVersion=${start}`,
      (events) => events.some((e) => e.type === "DELETED"),
      () => {
        void (async () => {
          await httpRequest(api.url, path, { method: "POST", headers, body: configmap("watched", { v: "1" }) });
          await httpRequest(api.url, `${path}/watched`, {
            method: "PATCH",
            headers: { "Content-Type": "application/merge-patch+json" },
            body: JSON.stringify({ data: { v: "2" } }),
          });
          await httpRequest(api.url, `${path}/watched`, { method: "DELETE" });
        })();
      },
    );
    const { events } = await watching;
    expect(events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    expect(events[1]?.object.data).toEqual({ v: "2" });

    // Replaying from the start sees the same three.
    const replay = await watchEvents(
      api.url,
      `${path}?watch=1&fieldSelector=metadata.name%3Dwatched&resourceVersion=${start}`,
      (e) => e.length >= 3,
    );
    expect(replay.events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
  });

  it("sends a 410 Expired ERROR event for a resourceVersion older than the history", async () => {
    const body = configmap("churn");
    await httpRequest(api.url, path, { method: "POST", headers, body });
    for (let i = 0; i < 1005; i++) {
      await httpRequest(api.url, `${path}/churn`, {
        method: "PATCH",
        headers: { "Content-Type": "application/merge-patch+json" },
        body: JSON.stringify({ data: { i: String(i) } }),
      });
    }
    const { events, ended } = await watchEvents(api.url, `${path}?watch=true&resourceVersion=2`, () => false);
    expect(ended).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
  });

  it("ends the stream after timeoutSeconds and sends bookmarks when allowed", async () => {
    const { events, ended } = await watchEvents(api.url, `${path}?watch=true&allowWatchBookmarks=true&timeoutSeconds=2`, () => false);
    expect(ended).toBe(true);
    const bookmark = events.find((e) => e.type === "BOOKMARK");
    expect(bookmark?.object.metadata.resourceVersion).toMatch(/^\d+$/);
  });

  it("close() ends open watches promptly", async () => {
    const own = await startKubeApi();
    const watching = watchEvents(
      own.url,
      "/api/v1/namespaces/default/configmaps?watch=true",
      () => false,
      () => void own.close(),
    );
    await expect(watching).resolves.toMatchObject({ ended: true });
    await own.close();
  });
});
