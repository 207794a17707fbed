import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { VerdictCache } from "../../src/runbook/shell/verdict-cache.js";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "recover-verdicts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("VerdictCache", () => {
  it("remembers clean scripts for the same checking code only", () => {
    const file = join(dir, "unit.txt");
    new VerdictCache(file, "code-1").rememberClean("echo ${{ x }}");
    expect(new VerdictCache(file, "code-1").isClean("echo ${{ x }}")).toBe(true);
    expect(new VerdictCache(file, "code-1").isClean("echo ${{ y }}")).toBe(false);
    expect(new VerdictCache(file, "code-2").isClean("echo ${{ x }}")).toBe(false);
    expect(new VerdictCache(undefined, "code-1").isClean("echo ${{ x }}")).toBe(false);
  });
});

describe("recover validate with a verdict cache", () => {
  it("keeps the clean scripts of a runbook, never a refused one, and gives the same answers", () => {
    const env = { XDG_CACHE_HOME: join(dir, "cache") };
    expect(runCli(["validate", "runbooks/longhorn-node.yaml"], { env }).code).toBe(0);
    const [file] = readdirSync(join(dir, "cache", "recover"));
    const clean = readFileSync(join(dir, "cache", "recover", file as string), "utf8")
      .trim()
      .split("\n");
    expect(clean.length).toBeGreaterThan(10);
    expect(runCli(["validate", "runbooks/longhorn-node.yaml"], { env }).code).toBe(0);
    const refused = "fixtures/invalid/101-sh-template-inside-quotes.yaml";
    for (let i = 0; i < 2; i++) expect(runCli(["validate", refused], { env }).stderr).toContain("3 problems found");
    const after = readFileSync(join(dir, "cache", "recover", file as string), "utf8")
      .trim()
      .split("\n");
    // Every script of 101 holds a refused template: nothing is added.
    expect(after.length).toBe(clean.length);
  });
});
