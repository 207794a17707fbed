import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CacheStore } from "../../../src/cli/cache/store.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "recover-store-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the cache store", () => {
  it("gives back what was put under a key", () => {
    const store = new CacheStore(join(dir, "c"), "b1");
    const key = ["runbook-set", "/a.yaml", "text"];
    expect(store.get(key)).toBeUndefined();
    store.put(key, { spec: { name: "x" }, list: [1, 2] });
    expect(store.get(key)).toEqual({ spec: { name: "x" }, list: [1, 2] });
  });

  it("answers only the exact key, part by part", () => {
    const store = new CacheStore(join(dir, "c"), "b1");
    store.put(["ab", "c"], 1);
    expect(store.get(["a", "bc"])).toBeUndefined();
    expect(store.get(["ab", "c", ""])).toBeUndefined();
    expect(store.get(["ab", "c"])).toBe(1);
  });

  it("does not take another key's entry for its own, whatever the file name", () => {
    const store = new CacheStore(join(dir, "c"), "b1");
    store.put(["x"], 1);
    const [file] = readdirSync(join(dir, "c", "b1"));
    // Another key's entry under this key's file name, as a hash collision would leave it.
    writeFileSync(join(dir, "c", "b1", file as string), JSON.stringify({ key: ["y"], value: 2 }));
    expect(store.get(["x"])).toBeUndefined();
  });

  it("keeps one build: writing for a new build removes the entries of the others", () => {
    const old = new CacheStore(join(dir, "c"), "b1");
    old.put(["x"], 1);
    const current = new CacheStore(join(dir, "c"), "b2");
    current.put(["x"], 2);
    expect(readdirSync(join(dir, "c"))).toEqual(["b2"]);
    expect(old.get(["x"])).toBeUndefined();
  });

  it("treats a damaged entry as a miss", () => {
    const store = new CacheStore(join(dir, "c"), "b1");
    store.put(["x"], { a: 1 });
    const [file] = readdirSync(join(dir, "c", "b1"));
    writeFileSync(join(dir, "c", "b1", file as string), '{"key":["x"],"value":');
    expect(store.get(["x"])).toBeUndefined();
  });

  it("misses quietly where it cannot write", () => {
    writeFileSync(join(dir, "a-file"), "");
    const store = new CacheStore(join(dir, "a-file", "c"), "b1");
    expect(() => store.put(["x"], 1)).not.toThrow();
    expect(store.get(["x"])).toBeUndefined();
  });

  it("lives in $XDG_CACHE_HOME/recover, and is off with RECOVER_CACHE=off", () => {
    expect(CacheStore.forUser("b", { XDG_CACHE_HOME: dir })?.root).toBe(join(dir, "recover", "validated"));
    expect(CacheStore.forUser("b", { XDG_CACHE_HOME: dir, RECOVER_CACHE: "off" })).toBeUndefined();
  });
});
