import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRequest, startTestKubeApi, type TestKubeApi, watchEvents } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

const cmPath = "/api/v1/namespaces/default/configmaps";

describe("Secrets", () => {
  it("fold stringData into data and never store it", async () => {
    const kubectl = await lab.kubectl();
    const manifest = `apiVersion: v1
kind: Secret
metadata: {name: s3-creds, namespace: default}
data: {region: ${Buffer.from("eu").toString("base64")}, key: b2xk}
stringData: {key: s3cret}
`;
    expect((await kubectl(["apply", "-f", "-"], { input: manifest })).code).toBe(0);
    const secret = JSON.parse((await kubectl(["get", "secret", "s3-creds", "-o", "json"])).stdout);
    expect(secret.data).toEqual({ region: Buffer.from("eu").toString("base64"), key: Buffer.from("s3cret").toString("base64") });
    expect(secret).not.toHaveProperty("stringData");
  });
});

describe("lists a page at a time", () => {
  it("gives kubectl every object through limit and continue", async () => {
    await lab.api.control.load(
      ["a", "b", "c", "d", "e"].map((n) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `page-${n}`, namespace: "paged" } })),
    );
    const first = await httpRequest(lab.api.url, "/api/v1/namespaces/paged/configmaps?limit=2");
    expect(first.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["page-a", "page-b"]);
    expect(first.json.metadata.remainingItemCount).toBe(3);
    const second = await httpRequest(lab.api.url, `/api/v1/namespaces/paged/configmaps?limit=2&continue=${first.json.metadata.continue}`);
    expect(second.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["page-c", "page-d"]);
    const kubectl = await lab.kubectl();
    const all = await kubectl(["get", "cm", "-n", "paged", "--chunk-size=2", "-o", "name"]);
    expect(all.stdout).toBe("configmap/page-a\nconfigmap/page-b\nconfigmap/page-c\nconfigmap/page-d\nconfigmap/page-e\n");
    const bad = await httpRequest(lab.api.url, "/api/v1/namespaces/paged/configmaps?limit=2&continue=nonsense");
    expect([bad.status, bad.json.message]).toEqual([
      400,
      "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
    ]);
  });
});

describe("resourceVersions a list or watch cannot serve", () => {
  it("answers 400 for a malformed one and 504 for one from the future", async () => {
    expect((await httpRequest(lab.api.url, `${cmPath}?resourceVersion=abc`)).status).toBe(400);
    expect((await httpRequest(lab.api.url, `${cmPath}?watch=true&resourceVersion=abc`)).status).toBe(400);
    const future = await httpRequest(lab.api.url, `${cmPath}?watch=true&resourceVersion=999999999`);
    expect(future.status).toBe(504);
    expect(future.json).toMatchObject({ reason: "Timeout", code: 504 });
    expect(future.json.message).toMatch(/^Timeout: Too large resource version: 999999999, current: \d+$/);
  });
});

describe("request bodies", () => {
  it("answers 415 for a content type it cannot read", async () => {
    const result = await httpRequest(lab.api.url, cmPath, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"plain"}}',
    });
    expect(result.status).toBe(415);
    expect(result.json.reason).toBe("UnsupportedMediaType");
  });

  it("refuses a YAML alias bomb with 400", async () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ..."bcdefgh".split("").map((l, i) => `${l}: &${l} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`),
    ];
    const result = await httpRequest(lab.api.url, `${cmPath}/bomb`, {
      method: "PATCH",
      headers: { "Content-Type": "application/apply-patch+yaml" },
      body: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n${bomb.join("\n")}\n`,
    });
    expect(result.status).toBe(400);
  });
});

describe("metadata.generation", () => {
  it("is absent on built-ins that have none, present on those that do", async () => {
    const kubectl = await lab.kubectl();
    await kubectl(["create", "cm", "plain"]);
    expect((await kubectl(["get", "cm", "plain", "-o", "jsonpath={.metadata.generation}"])).stdout).toBe("");
    await kubectl(["label", "cm", "plain", "x=y"]);
    expect((await kubectl(["get", "cm", "plain", "-o", "jsonpath={.metadata.generation}"])).stdout).toBe("");
    expect((await kubectl(["get", "crd", "nodes.longhorn.io", "-o", "jsonpath={.metadata.generation}"])).stdout).toBe("1");
  });
});

describe("watches", () => {
  it("with sendInitialEvents=true end the initial state with a bookmark carrying k8s.io/initial-events-end", async () => {
    const kubectl = await lab.kubectl();
    await kubectl(["create", "cm", "initial"]);
    const { events } = await watchEvents(
      lab.api.url,
      `${cmPath}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
      (seen) => seen.some((e) => e.type === "BOOKMARK"),
    );
    const bookmark = events.at(-1);
    expect(bookmark).toMatchObject({ type: "BOOKMARK", object: { metadata: { annotations: { "k8s.io/initial-events-end": "true" } } } });
    expect(events.slice(0, -1).every((e) => e.type === "ADDED")).toBe(true);
    expect(events.map((e) => e.object.metadata.name)).toContain("initial");
  });
});
