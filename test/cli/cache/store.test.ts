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
    const key = store.key("runbook-set", "/a.yaml", "text");
    expect(store.get(key)).toBeUndefined();
    store.put(key, { spec: { name: "x" }, list: [1, 2] });
    expect(store.get(key)).toEqual({ spec: { name: "x" }, list: [1, 2] });
  });

  it("keys parts apart, not only their concatenation", () => {
    const store = new CacheStore(join(dir, "c"), "b1");
    expect(store.key("ab", "c")).not.toBe(store.key("a", "bc"));
  });

  it("keeps one build: writing for a new build removes the entries of the others", () => {
    const old = new CacheStore(join(dir, "c"), "b1");
    old.put(old.key("x"), 1);
    const current = new CacheStore(join(dir, "c"), "b2");
    current.put(current.key("x"), 2);
    expect(readdirSync(join(dir, "c"))).toEqual(["b2"]);
    expect(old.get(old.key("x"))).toBeUndefined();
  });

  it("treats a damaged entry as a miss", () => {
    const store = new CacheStore(join(dir, "c"), "b1");
    const key = store.key("x");
    store.put(key, { a: 1 });
    writeFileSync(join(dir, "c", "b1", `${key}.json`), '{"a":');
    expect(store.get(key)).toBeUndefined();
  });

  it("misses quietly where it cannot write", () => {
    writeFileSync(join(dir, "a-file"), "");
    const store = new CacheStore(join(dir, "a-file", "c"), "b1");
    expect(() => store.put(store.key("x"), 1)).not.toThrow();
    expect(store.get(store.key("x"))).toBeUndefined();
  });

  it("lives in $XDG_CACHE_HOME/recover, and is off with RECOVER_CACHE=off", () => {
    expect(CacheStore.forUser("b", { XDG_CACHE_HOME: dir })?.root).toBe(join(dir, "recover", "validated"));
    expect(CacheStore.forUser("b", { XDG_CACHE_HOME: dir, RECOVER_CACHE: "off" })).toBeUndefined();
  });
});
