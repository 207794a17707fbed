import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedRunbookSet } from "../../../src/cli/cache/runbook-set.js";
import { CacheStore } from "../../../src/cli/cache/store.js";
import { loadRunbookSet } from "../../../src/runbook/registry.js";
import { ValidationError } from "../../../src/source/validation-error.js";

const SUB = `apiVersion: recover/v1
kind: Runbook
metadata: {name: sub}
summary: sub
targets:
  box: {local: {}}
params:
  path: {type: string}
stages:
  - id: one
    steps:
      - {id: first, sh: "ls \${{ params.path }}"}
`;

const MAIN = `apiVersion: recover/v1
kind: Runbook
metadata: {name: main}
summary: the main one
params:
  node: {type: string, positional: true}
targets:
  box: {local: {}}
stages:
  - id: s
    title: first stage
    steps:
      - id: before
        sh: "echo \${{ params.node }}"
      - {id: inner, uses: {runbook: sub, with: {path: "/srv"}}}
`;

let dir: string;
let gitops: string;
let store: CacheStore;

/** Writes a runbook where `recover` finds it by name: the GitOps repo's recover/runbooks/. */
function runbook(name: string, text: string): string {
  const file = join(gitops, "recover", "runbooks", `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** The one entry the cache holds, to see that a load came from it. */
function entryFile(): string {
  const buildDir = join(store.root, store.build);
  const [name, ...more] = readdirSync(buildDir);
  expect(more).toEqual([]);
  return join(buildDir, name as string);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "recover-cache-"));
  gitops = join(dir, "gitops");
  mkdirSync(join(gitops, "recover", "runbooks"), { recursive: true });
  store = new CacheStore(join(dir, "cache"), "build-a");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a validated runbook set, remembered", () => {
  it("is read back from the cache while nothing changed", () => {
    runbook("sub", SUB);
    runbook("main", MAIN);
    const first = cachedRunbookSet("main", gitops, store);
    const entry = entryFile();
    // Marking the stored entry shows that the second load read it instead of validating again.
    writeFileSync(entry, readFileSync(entry, "utf8").replace('"summary":"the main one"', '"summary":"from the cache"'));
    const second = cachedRunbookSet("main", gitops, store);
    expect(second.runbook.spec.summary).toBe("from the cache");
    expect({ ...second.runbook.spec, summary: "the main one" }).toEqual(first.runbook.spec);
    expect(second.runbook.file).toBe(first.runbook.file);
    expect([...second.runbooks.keys()]).toEqual(["sub"]);
    expect(second.runbooks.get("sub")?.spec).toEqual(first.runbooks.get("sub")?.spec);
  });

  it("gives the same positions and diagnostics as a fresh load", () => {
    runbook("sub", SUB);
    runbook("main", MAIN);
    cachedRunbookSet("main", gitops, store);
    const cached = cachedRunbookSet("main", gitops, store).runbook.doc;
    const fresh = loadRunbookSet("main", gitops).runbook.doc;
    for (const path of [[], ["stages", 0], ["stages", 0, "steps", 0], ["stages", 0, "steps", 1, "uses"], ["params", "node"]])
      expect(cached.positionOf(path)).toEqual(fresh.positionOf(path));
    // A scalar, a key and a place that does not exist are answered by parsing the text, as a fresh load does.
    expect(cached.positionOf(["stages", 0, "title"])).toEqual(fresh.positionOf(["stages", 0, "title"]));
    expect(cached.positionOf(["stages", 0, "title"], true)).toEqual(fresh.positionOf(["stages", 0, "title"], true));
    expect(cached.positionOf(["stages", 3])).toEqual(fresh.positionOf(["stages", 3]));
    const path = ["stages", 0, "steps", 0, "sh"];
    expect(cached.diagnostic(path, "sh", "m", "h")).toEqual(fresh.diagnostic(path, "sh", "m", "h"));
    expect(cached.diagnosticInValue(path, "sh", "echo ${{ params.node }}", 5, "m")).toEqual(
      fresh.diagnosticInValue(path, "sh", "echo ${{ params.node }}", 5, "m"),
    );
  });

  it("validates again when the runbook's text changes", () => {
    runbook("sub", SUB);
    const file = runbook("main", MAIN);
    cachedRunbookSet("main", gitops, store);
    writeFileSync(file, MAIN.replace("the main one", "changed"));
    expect(cachedRunbookSet("main", gitops, store).runbook.spec.summary).toBe("changed");
  });

  it("validates again when a used runbook changes, and reports what that breaks", () => {
    const sub = runbook("sub", SUB);
    runbook("main", MAIN);
    cachedRunbookSet("main", gitops, store);
    writeFileSync(sub, SUB.replace("path: {type: string}", "path: {type: string}\n  size: {type: int}"));
    expect(() => cachedRunbookSet("main", gitops, store)).toThrow(ValidationError);
    try {
      cachedRunbookSet("main", gitops, store);
    } catch (error) {
      expect((error as ValidationError).diagnostics.map((d) => d.message)).toContain('runbook "sub" needs param "size"');
    }
  });

  it("validates again when a used runbook's name now finds another file", () => {
    runbook("sub", SUB);
    runbook("main", MAIN);
    cachedRunbookSet("main", gitops, store);
    rmSync(join(gitops, "recover", "runbooks", "sub.yaml"));
    writeFileSync(join(gitops, "recover", "runbooks", "sub.yml"), SUB.replace("path: {type: string}", "size: {type: int}"));
    expect(() => cachedRunbookSet("main", gitops, store)).toThrow(ValidationError);
  });

  it("never keeps an invalid runbook: its problems are reported every time", () => {
    runbook("main", MAIN);
    for (let i = 0; i < 2; i++) expect(() => cachedRunbookSet("main", gitops, store)).toThrow(ValidationError);
    expect(readdirSync(dir)).not.toContain("cache");
  });

  it("loads without a cache when there is none", () => {
    runbook("sub", SUB);
    runbook("main", MAIN);
    expect(cachedRunbookSet("main", gitops, undefined).runbook.spec.summary).toBe("the main one");
    expect(readdirSync(dir)).not.toContain("cache");
  });
});
