import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { VerdictCache } from "../../src/runbook/shell/verdict-cache.js";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "recover-verdicts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("VerdictCache", () => {
  const env = { XDG_CACHE_HOME: dir };

  it("remembers clean scripts for the same build only", () => {
    VerdictCache.forBuild("build-1", env).rememberClean("echo ${{ x }}");
    expect(VerdictCache.forBuild("build-1", env).isClean("echo ${{ x }}")).toBe(true);
    expect(VerdictCache.forBuild("build-1", env).isClean("echo ${{ y }}")).toBe(false);
    expect(VerdictCache.forBuild("build-2", env).isClean("echo ${{ x }}")).toBe(false);
  });

  it("is off when running from modules, or with RECOVER_CACHE=off", () => {
    VerdictCache.forBuild(undefined, env).rememberClean("echo ${{ z }}");
    expect(VerdictCache.forBuild(undefined, env).isClean("echo ${{ z }}")).toBe(false);
    expect(VerdictCache.forBuild("build-1", { ...env, RECOVER_CACHE: "off" }).isClean("echo ${{ x }}")).toBe(false);
  });
});

describe("recover validate, bundled, with a verdict cache", () => {
  it("keeps the clean scripts of a runbook, never a refused one, and gives the same answers", () => {
    const env = { XDG_CACHE_HOME: join(dir, "cli"), RECOVER_CACHE: "on" };
    expect(runCli(["validate", "runbooks/longhorn-node.yaml"], { env }).code).toBe(0);
    const [build] = readdirSync(join(dir, "cli", "recover", "validated"));
    const file = join(dir, "cli", "recover", "validated", build as string, "sh-clean.json");
    const clean = JSON.parse(readFileSync(file, "utf8")) as string[];
    expect(clean.length).toBeGreaterThan(10);
    expect(clean.every((script) => script.includes("${{"))).toBe(true);
    expect(runCli(["validate", "runbooks/longhorn-node.yaml"], { env }).code).toBe(0);
    const refused = "fixtures/invalid/101-sh-template-inside-quotes.yaml";
    for (let i = 0; i < 2; i++) expect(runCli(["validate", refused], { env }).stderr).toContain("3 problems found");
    // Every script of 101 holds a refused template: nothing is added.
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(clean);
  });
});
