import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { BIN, ROOT, runCli } from "../helpers/cli.js";

describe("recover --version", () => {
  it("prints the package version", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const run = runCli(["--version"]);
    expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });
});

describe("recover validate", () => {
  it("accepts the shipped runbook and the fixture inventory", () => {
    const run = runCli(["validate", "runbooks/longhorn-node.yaml", "fixtures/gitops/recover/inventory.yaml"]);
    expect(run).toMatchObject({ code: 0, stdout: "2 files valid\n", stderr: "" });
  });

  it("takes a folder for the YAML files in it", () => {
    expect(runCli(["validate", "runbooks"])).toMatchObject({ code: 0, stdout: "11 files valid\n" });
    const corpus = runCli(["validate", "fixtures/invalid"]);
    expect(corpus.code).toBe(2);
    expect(corpus.stderr).toMatch(/\d{3,} problems found; nothing was run\.\n$/);
  });

  it("walks folders below it, checks every runbook and inventory there, and skips Kubernetes manifests", () => {
    const gitops = mkdtempSync(join(tmpdir(), "recover-validate-"));
    onTestFinished(() => rmSync(gitops, { recursive: true, force: true }));
    mkdirSync(join(gitops, "recover", "runbooks"), { recursive: true });
    mkdirSync(join(gitops, "apps"), { recursive: true });
    writeFileSync(join(gitops, "recover", "runbooks", "broken.yaml"), "apiVersion: recover/v1\nkind: Runbok\n");
    writeFileSync(join(gitops, "apps", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    const broken = runCli(["validate", gitops]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("broken.yaml:2:");
    writeFileSync(
      join(gitops, "recover", "runbooks", "broken.yaml"),
      'apiVersion: recover/v1\nkind: Runbook\nmetadata: {name: broken}\nsummary: s\nstages:\n  - id: s\n    steps:\n      - {id: a, local: ["true"]}\n',
    );
    expect(runCli(["validate", gitops])).toMatchObject({
      code: 0,
      stdout: "1 file valid (1 other YAML file skipped: not runbooks or inventories)\n",
    });
  });
});

describe("recover list", () => {
  it("lists project runbooks, and the GitOps repo's own ones first", () => {
    const gitops = mkdtempSync(join(tmpdir(), "recover-list-"));
    onTestFinished(() => rmSync(gitops, { recursive: true, force: true }));
    mkdirSync(join(gitops, "recover", "runbooks"), { recursive: true });
    writeFileSync(
      join(gitops, "recover", "runbooks", "site-check.yaml"),
      'apiVersion: recover/v1\nkind: Runbook\nmetadata: {name: site-check}\nsummary: Our own check\nstages:\n  - id: s\n    steps:\n      - {id: a, local: ["true"]}\n',
    );
    writeFileSync(join(gitops, "recover", "runbooks", "broken.yaml"), "kind: Runbook\n");
    // Found by file name, so a different metadata.name would make `uses` and `list` disagree.
    writeFileSync(
      join(gitops, "recover", "runbooks", "renamed.yaml"),
      'apiVersion: recover/v1\nkind: Runbook\nmetadata: {name: old-name}\nsummary: s\nstages:\n  - id: s\n    steps:\n      - {id: a, local: ["true"]}\n',
    );
    const run = runCli(["list", "--gitops", gitops]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^site-check\s+gitops\s+Our own check$/m);
    expect(run.stdout).toMatch(/^broken\s+gitops\s+INVALID \(\d+ problems?: recover validate .*broken\.yaml\)$/m);
    expect(run.stdout).toMatch(/^renamed\s+gitops\s+INVALID \(1 problem: /m);
    expect(runCli(["validate", join(gitops, "recover", "runbooks", "renamed.yaml"), "--gitops", gitops]).stderr).toContain(
      'metadata.name: "old-name" differs from the file name renamed.yaml',
    );
    expect(run.stdout).toMatch(/^longhorn-node\s+project\s+Replace a Longhorn node/m);
  });
});

describe("recover schema", () => {
  it("prints the JSON Schema that the shipped schema files hold", () => {
    for (const [args, file] of [
      [["schema"], "schema/runbook.schema.json"],
      [["schema", "inventory"], "schema/inventory.schema.json"],
    ] as const) {
      const run = runCli([...args]);
      expect(run.code).toBe(0);
      const schema = JSON.parse(run.stdout) as { properties: Record<string, unknown> };
      expect(Object.keys(schema.properties)).toContain("apiVersion");
      // The committed files are what editors read through the modeline: they must not go stale.
      expect(run.stdout, `${file} is stale: run npm run schema`).toBe(readFileSync(join(ROOT, file), "utf8"));
    }
  });

  it("is what the shipped runbook's modeline points at", () => {
    const first = readFileSync(join(ROOT, "runbooks/longhorn-node.yaml"), "utf8").split("\n")[0];
    expect(first).toBe("# yaml-language-server: $schema=../schema/runbook.schema.json");
  });
});

describe("what is not there yet says so", () => {
  it("running destructive steps with no terminal and no --yes is refused before anything runs (exit 3)", () => {
    const state = mkdtempSync(join(tmpdir(), "recover-state-"));
    try {
      const run = runCli(["longhorn-node", "k3s1", "--gitops", "fixtures/gitops"], { env: { XDG_STATE_HOME: state } });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain("there is no terminal to confirm them");
      expect(run.stderr).toContain("nothing was run");
      expect(run.stdout).toContain("refused; nothing was changed");
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  it("running without --dry-run still reports bad input first (exit 2)", () => {
    const run = runCli(["longhorn-node", "k3s9", "--gitops", "fixtures/gitops"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"k3s9" is not in inventory.nodes');
  });

  it("a drill of a runbook without scenarios says where it looked (exit 2), before any lab", () => {
    const run = runCli(["drill", "nope"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no drill scenario "clean"');
    expect(run.stderr).toContain("fixtures/drills/nope");
  });
});

describe("usage errors", () => {
  it("an unknown option exits 2 with commander's message", () => {
    const run = runCli(["plan", "longhorn-node", "k3s1", "--bogus"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--bogus'");
  });
});

describe("output to a reader that stops early", () => {
  it("exits quietly when the pipe closes (recover plan -o json | head)", () => {
    // The JSON plan is far larger than a pipe's buffer, so the writer meets the closed pipe.
    const script = `"${process.execPath}" "${BIN}" plan longhorn-node k3s1 -o json --gitops fixtures/gitops | head -c 10 >/dev/null`;
    const result = spawnSync("/bin/sh", ["-c", script], { cwd: ROOT, encoding: "utf8" });
    // Only the local checks' warning that fixtures/gitops is not a clone of its own; no EPIPE.
    expect(result.stderr).not.toMatch(/EPIPE|error/i);
    expect(result.status).toBe(0);
  });
});

describe("recover RUNBOOK --help", () => {
  it("adds the runbook's usage and params to the run options", () => {
    const run = runCli(["longhorn-node", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("-n, --dry-run");
    expect(run.stdout.startsWith("longhorn-node: Replace a Longhorn node")).toBe(true);
    expect(run.stdout).toContain("Usage: recover longhorn-node <node> [--param fstab=<string>] [--dry-run] [options]");
    expect(run.stdout).toMatch(/^ {2}<node> +Kubernetes node name, as in the inventory\n +string; required; .*one of inventory\.nodes$/m);
    expect(run.stdout).not.toContain("recover run [options]");
  });

  it("says why when the runbook cannot be found, and where it looked", () => {
    const run = runCli(["no-such-runbook", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cannot show the params of "no-such-runbook"');
    expect(run.stdout).toContain("add --gitops DIR");
  });
});
