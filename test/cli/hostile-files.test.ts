import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

// GitOps checkouts holding what a hostile commit could put there: symlinks out of the repository
// or to secrets, links to themselves, FIFOs. Built per run in a temp dir (a repository cannot ship
// a FIFO, and links to /etc do not belong in fixtures).
const root = mkdtempSync(join(tmpdir(), "recover-hostile-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SECRET = join(root, "shadow");
writeFileSync(SECRET, "root:$6$secrethash:19000:0:99999:7:::\n");

function gitops(name: string): string {
  const dir = join(root, name);
  cpSync(join(ROOT, "fixtures/gitops"), dir, { recursive: true });
  mkdirSync(join(dir, "recover", "runbooks"), { recursive: true });
  return dir;
}

const EDITS = `apiVersion: recover/v1
kind: Runbook
metadata: {name: edits}
summary: Edits files of the GitOps repository
stages:
  - id: one
    steps:
      - id: through-dir
        edit: {file: outside/passwd, content: "x"}
      - id: through-file
        edit: {file: infrastructure/passwd.yaml, content: "x"}
      - id: into-git
        edit: {file: gitlink/config, content: "x"}
      - id: fine
        edit: {file: infrastructure/kustomization.yaml, set: {metadata.name: x}}
`;

describe("edit files by real path", () => {
  it("refuses an edit that a symlink leads out of the checkout or into .git, at the step that edits", () => {
    const dir = gitops("edits");
    symlinkSync(root, join(dir, "outside"));
    symlinkSync(SECRET, join(dir, "infrastructure", "passwd.yaml"));
    mkdirSync(join(dir, ".git"));
    symlinkSync(".git", join(dir, "gitlink"));
    writeFileSync(join(dir, "recover", "runbooks", "edits.yaml"), EDITS);
    const run = runCli(["plan", "edits", "--gitops", dir]);
    expect(run.code, run.stderr).toBe(2);
    const file = join(dir, "recover", "runbooks", "edits.yaml");
    expect(run.stderr).toContain(
      `${file}:8:9: error: through-dir: edit.file: file "outside/passwd" leads out of the GitOps repository through a symlink`,
    );
    expect(run.stderr).toContain(
      `${file}:10:9: error: through-file: edit.file: file "infrastructure/passwd.yaml" leads out of the GitOps repository`,
    );
    expect(run.stderr).toContain(`${file}:12:9: error: into-git: edit.file: file "gitlink/config" leads into .git through a symlink`);
    expect(run.stderr).not.toContain("fine:");
    expect(run.stderr).toContain("3 problems found; nothing was run.");
    expect(run.stdout).toBe("");
  });
});

describe("runbooks in recover/runbooks/ that are not regular files inside it", () => {
  const dir = gitops("runbooks");
  const runbooks = join(dir, "recover", "runbooks");
  symlinkSync(SECRET, join(runbooks, "shadow.yaml"));
  symlinkSync("self.yaml", join(runbooks, "self.yaml"));
  spawnSync("mkfifo", [join(runbooks, "fifo.yaml")]);

  it("lists them as unreadable, saying why, without their content", () => {
    const run = runCli(["list", "--gitops", dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^shadow\s+gitops\s+UNREADABLE \(cannot read runbook .*shadow\.yaml: it is a symlink to .*shadow, outside its folder/m,
    );
    expect(run.stdout).toMatch(/^self\s+gitops\s+UNREADABLE \(.*a symlink loop/m);
    expect(run.stdout).toMatch(/^fifo\s+gitops\s+UNREADABLE \(.*not a regular file \(a FIFO\)/m);
    expect(run.stdout).toMatch(/^longhorn-node\s+project\s+Replace a Longhorn node/m);
    expect(run.stdout).not.toContain("secrethash");
  });

  it("refuses to run one by name with the same reason, never 'unknown runbook', never hanging", () => {
    for (const [name, reason] of [
      ["shadow", "outside its folder"],
      ["self", "a symlink loop"],
      ["fifo", "not a regular file (a FIFO)"],
    ] as const) {
      const run = runCli(["plan", name, "--gitops", dir]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(reason);
      expect(run.stderr).not.toContain("unknown runbook");
      expect(run.stderr).not.toContain("secrethash");
    }
  });

  it("validates a FIFO given by path as not a regular file", () => {
    const run = runCli(["validate", join(runbooks, "fifo.yaml")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("not a regular file (a FIFO)");
  });
});

describe("--gitops that is not a directory", () => {
  it("names a symlink loop and a plain file for what they are", () => {
    const loop = join(root, "loop");
    symlinkSync("loop", loop);
    const looped = runCli(["plan", "longhorn-node", "k3s1", "--gitops", loop]);
    expect(looped.code).toBe(2);
    expect(looped.stderr).toContain(`GitOps directory ${loop} is a symlink loop`);
    const plain = runCli(["plan", "longhorn-node", "k3s1", "--gitops", SECRET]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain(`GitOps directory ${SECRET} is not a directory`);
  });
});
