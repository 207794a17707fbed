import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedInventory } from "../../../src/cli/cache/inventory.js";
import { CacheStore } from "../../../src/cli/cache/store.js";
import { ValidationError } from "../../../src/source/validation-error.js";

const FIXTURE = readFileSync(new URL("../../../fixtures/gitops/recover/inventory.yaml", import.meta.url), "utf8");

let dir: string;
let store: CacheStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "recover-inv-cache-"));
  store = new CacheStore(join(dir, "cache"), "b1");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a validated inventory, remembered", () => {
  it("is read back from the cache while the file stays the same, and validated again when it changes", () => {
    const file = join(dir, "inventory.yaml");
    writeFileSync(file, FIXTURE);
    const first = cachedInventory(file, store);
    const [name] = readdirSync(join(dir, "cache", "b1"));
    const stored = join(dir, "cache", "b1", name as string);
    const entry = JSON.parse(readFileSync(stored, "utf8"));
    writeFileSync(stored, JSON.stringify({ ...entry, value: { ...entry.value, marked: true } }));
    expect(cachedInventory(file, store)).toEqual({ file, inventory: { ...first.inventory, marked: true } });
    writeFileSync(file, `${FIXTURE}\n# changed\n`);
    expect(cachedInventory(file, store)).toEqual(first);
  });

  it("never keeps an invalid inventory", () => {
    const file = join(dir, "inventory.yaml");
    writeFileSync(file, "kind: Inventory\nnodes: 3\n");
    for (let i = 0; i < 2; i++) expect(() => cachedInventory(file, store)).toThrow(ValidationError);
    expect(readdirSync(dir)).toEqual(["inventory.yaml"]);
  });
});
