import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeApi, startKubeApi } from "../../../../src/lab/kube-api/index.js";
import type { ResourceType } from "../../../../src/lab/kube-api/types.js";
import { type ReceivedEvent, watchEvents } from "../../../helpers/kube-api.js";

let api: KubeApi;
let configmaps: ResourceType;
beforeAll(async () => {
  api = await startKubeApi();
  configmaps = api.registry.byKind("v1", "ConfigMap") as ResourceType;
  await api.control.load([
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "watched" }, data: { n: "1" } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b", namespace: "watched" }, data: { n: "2" } },
  ]);
});
afterAll(async () => {
  await api?.close();
});

describe("watch start", () => {
  it("without a resourceVersion begins with ADDED for every current object, as the real server's does", async () => {
    const { events } = await watchEvents(api.url, "/api/v1/namespaces/watched/configmaps?watch=true", (e) => e.length >= 2);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ["ADDED", "a"],
      ["ADDED", "b"],
    ]);
  });
});

/** Opens a watch whose client reads nothing until `resume()`, which then collects events until the end or `enough` of them. */
function stalledWatch(path: string, enough: number): Promise<{ resume(): Promise<{ events: ReceivedEvent[]; ended: boolean }> }> {
  const url = new URL(api.url);
  return new Promise((opened, failed) => {
    const req = request({ host: url.hostname, port: url.port, path, agent: false }, (res) => {
      res.pause();
      const resume = () =>
        new Promise<{ events: ReceivedEvent[]; ended: boolean }>((resolve) => {
          const events: ReceivedEvent[] = [];
          let buffer = "";
          res.on("data", (chunk: Buffer) => {
            buffer += chunk.toString("utf8");
            for (let at = buffer.indexOf("\n"); at >= 0; at = buffer.indexOf("\n")) {
              events.push(JSON.parse(buffer.slice(0, at)));
              buffer = buffer.slice(at + 1);
            }
            if (events.length >= enough) {
              resolve({ events, ended: false });
              req.destroy();
            }
          });
          res.on("end", () => resolve({ events, ended: true }));
          res.resume();
        });
      opened({ resume });
    });
    req.on("error", failed);
    req.end();
  });
}

describe("a watch whose client stops reading", () => {
  it("is ended by the server instead of buffering every event in memory", async () => {
    const start = api.store.resourceVersion();
    const updates = 800;
    const watch = await stalledWatch(`/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion=${start}`, updates);
    // ~38 MB of events: more than the server may hold for one reader plus what the kernel's socket buffers take.
    const payload = "x".repeat(48 * 1024);
    for (let i = 0; i < updates; i++) {
      const live = api.store.get(configmaps, "watched", "a");
      api.store.update(configmaps, "watched", "a", { ...live, data: { n: String(i), payload } });
    }
    const { events, ended } = await watch.resume();
    expect(ended).toBe(true);
    expect(events.length).toBeLessThan(updates);
    // What did arrive is a clean prefix of the changes, in order.
    expect(events.map((e) => e.object.data.n)).toEqual(events.map((_, i) => String(i)));
  });
});
