import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRequest, type Json, startTestKubeApi, type TestKubeApi, watchEvents } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

const names = (list: Json): string[] => list.items.map((i: Json) => i.metadata.name);
const cm = (ns: string, name: string, v = "1") => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data: { v } });
const get = (path: string) => httpRequest(lab.api.url, path);
const TOO_OLD = "The resourceVersion for the provided list is too old.";

describe("a list at a resourceVersion, as etcd and the watch cache answer it", () => {
  it("reads the state of an exact resourceVersion, with that resourceVersion on the list", async () => {
    await lab.api.control.load([cm("exact", "a"), cm("exact", "b")]);
    const before = (await get("/api/v1/namespaces/exact/configmaps")).json.metadata.resourceVersion;
    await lab.api.control.load([cm("exact", "a", "2"), cm("exact", "c")]);
    await httpRequest(lab.api.url, "/api/v1/namespaces/exact/configmaps/b", { method: "DELETE" });
    const then = await get(`/api/v1/namespaces/exact/configmaps?resourceVersion=${before}&resourceVersionMatch=Exact`);
    expect(then.status).toBe(200);
    expect(names(then.json)).toEqual(["a", "b"]);
    expect(then.json.items[0].data).toEqual({ v: "1" });
    expect(then.json.metadata.resourceVersion).toBe(before);
    // NotOlderThan (and no match at all) reads the current state.
    const now = await get(`/api/v1/namespaces/exact/configmaps?resourceVersion=${before}&resourceVersionMatch=NotOlderThan`);
    expect(names(now.json)).toEqual(["a", "c"]);
  });

  it("answers 410 Expired for an exact or paged read of a compacted resourceVersion, and the current state otherwise", async () => {
    await lab.api.control.load([cm("compacted", "x")]);
    const old = (await get("/api/v1/namespaces/compacted/configmaps")).json.metadata.resourceVersion;
    await lab.api.control.load([cm("compacted", "y")]);
    lab.api.store.compact();
    const path = "/api/v1/namespaces/compacted/configmaps";
    for (const query of [`resourceVersion=${old}&resourceVersionMatch=Exact`, `resourceVersion=${old}&limit=500`]) {
      const expired = await get(`${path}?${query}`);
      expect(expired.status).toBe(410);
      expect(expired.json).toEqual({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: TOO_OLD,
        reason: "Expired",
        code: 410,
      });
    }
    for (const query of [
      `resourceVersion=${old}&resourceVersionMatch=NotOlderThan`,
      `resourceVersion=${old}`,
      "resourceVersion=0&limit=500",
    ]) {
      const served = await get(`${path}?${query}`);
      expect([served.status, names(served.json)]).toEqual([200, ["x", "y"]]);
    }
    // A watch from there fails the same way, in the stream.
    const { events } = await watchEvents(lab.api.url, `${path}?watch=true&resourceVersion=${old}`, () => false);
    expect(events[0]).toMatchObject({ type: "ERROR", object: { code: 410, reason: "Expired" } });
  });

  it("pages from the first page's resourceVersion; an expired continue token gets 410 and a token for the rest at the latest state", async () => {
    await lab.api.control.load(["a", "b", "c", "d"].map((n) => cm("paged-rv", n)));
    const path = "/api/v1/namespaces/paged-rv/configmaps";
    const first = await get(`${path}?limit=2`);
    await httpRequest(lab.api.url, `${path}/c`, { method: "DELETE" });
    const second = await get(`${path}?limit=2&continue=${first.json.metadata.continue}`);
    expect(names(second.json)).toEqual(["c", "d"]);
    expect(second.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);

    const again = await get(`${path}?limit=1`);
    // etcd keeps the compacted revision itself readable: the token's must be older.
    await lab.api.control.load([cm("paged-rv", "e")]);
    lab.api.store.compact();
    const expired = await get(`${path}?limit=1&continue=${again.json.metadata.continue}`);
    expect(expired.status).toBe(410);
    expect(expired.json.reason).toBe("Expired");
    expect(expired.json.message).toMatch(/^The provided continue parameter is too old to display a consistent list result\./);
    const rest = await get(`${path}?limit=5&continue=${expired.json.metadata.continue}`);
    expect([rest.status, names(rest.json)]).toEqual([200, ["b", "d", "e"]]);
  });

  it("refuses the combinations the real server refuses", async () => {
    const path = "/api/v1/namespaces/default/configmaps";
    const noVersion = await get(`${path}?resourceVersionMatch=Exact`);
    expect(noVersion.status).toBe(422);
    expect(noVersion.json.details).toMatchObject({ group: "meta.k8s.io", kind: "ListOptions" });
    expect(noVersion.json.message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
    const zero = await get(`${path}?resourceVersion=0&resourceVersionMatch=Exact`);
    expect(zero.json.message).toContain('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    const bogus = await get(`${path}?resourceVersion=1&resourceVersionMatch=Newest`);
    expect(bogus.json.message).toContain('Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""');
    const first = await get(`${path}?limit=1`);
    if (first.json.metadata.continue) {
      const both = await get(`${path}?limit=1&resourceVersion=5&continue=${first.json.metadata.continue}`);
      expect([both.status, both.json.message]).toEqual([400, "specifying resource version is not allowed when using continue"]);
    }
  });

  it("lets kubectl page through a list while it changes", async () => {
    await lab.api.control.load(["p", "q", "r"].map((n) => cm("kubectl-paged", n)));
    lab.api.store.compact();
    const kubectl = await lab.kubectl();
    const listed = await kubectl(["get", "cm", "-n", "kubectl-paged", "--chunk-size=1", "-o", "name"]);
    expect(listed.stdout).toBe("configmap/p\nconfigmap/q\nconfigmap/r\n");
  });
});
