// A stand-in for the Git checkpoint module (src/checkpoint, issue 10) while it is not in the build:
// the engine's CheckpointPort on a real clone with a bare remote, applying `edit` steps with the
// yaml package and committing (and pushing) each stage, so a runbook's Git half can be asserted
// on what the remote holds. It records each commit with the stage it closed, in order.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { CheckpointPort, EditAction } from "../../../src/engine/ports.js";

export interface Commit {
  stage: string;
  files: string[];
  pushed: boolean;
}

/** `a.b["c/d"][0]` → ["a", "b", "c/d", 0]. */
export function editPath(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? (m[2] !== undefined ? m[2] : Number(m[3])));
  return out;
}

export class TestCheckpoints implements CheckpointPort {
  readonly commits: Commit[] = [];
  private readonly touched = new Set<string>();

  constructor(private readonly repo: string) {}

  private git(args: string[]): string {
    return execFileSync("git", ["-C", this.repo, ...args], { encoding: "utf8" });
  }

  async preflight(): Promise<{ branch: string; head: string }> {
    return { branch: this.git(["branch", "--show-current"]).trim(), head: this.git(["rev-parse", "HEAD"]).trim() };
  }

  async applyEdit(step: { id: string; action: EditAction }): Promise<{ file: string; changed: boolean }> {
    const { action } = step;
    const file = path.join(this.repo, action.file);
    const before = existsSync(file) ? readFileSync(file, "utf8") : "";
    let after: string;
    if (action.remove) {
      rmSync(file, { force: true });
      after = "";
    } else if (action.content !== undefined) {
      after = action.content;
    } else {
      const docs = parseAllDocuments(before);
      const doc =
        docs.find(
          (d) =>
            (!action.document?.kind || d.get("kind") === action.document.kind) &&
            (!action.document?.name || d.getIn(["metadata", "name"]) === action.document.name),
        ) ?? docs[0];
      if (!doc) throw new Error(`${action.file}: no YAML document to edit`);
      for (const [p, value] of Object.entries(action.set ?? {})) doc.setIn(editPath(p), doc.createNode(value));
      for (const p of action.unset ?? []) doc.deleteIn(editPath(p));
      after = docs.map((d) => d.toString()).join("---\n");
    }
    if (!action.remove) writeFileSync(file, after);
    this.touched.add(action.file);
    return { file: action.file, changed: after !== before };
  }

  async commitStage(input: Parameters<CheckpointPort["commitStage"]>[0]): Promise<{ commit: string | null; pushed: boolean }> {
    const checkpoint = input.stage.checkpoint;
    if (!checkpoint) return { commit: null, pushed: false };
    const files = [...this.touched];
    this.touched.clear();
    if (files.length > 0) this.git(["add", "--all", "--", ...files]);
    this.git(["commit", "--quiet", "--allow-empty", "-m", checkpoint.message]);
    if (checkpoint.push) this.git(["push", "--quiet", "origin", "HEAD"]);
    this.commits.push({ stage: input.stage.id, files, pushed: checkpoint.push });
    return { commit: this.git(["rev-parse", "HEAD"]).trim(), pushed: checkpoint.push };
  }
}

/** A clone of `source` (a directory) with a bare remote `origin`, one commit pushed to main. */
export function gitopsRepo(dir: string, source: string): { clone: string; remote: string } {
  const remote = path.join(dir, "remote.git");
  const clone = path.join(dir, "gitops");
  const run = (cwd: string, args: string[]) =>
    execFileSync("git", args, {
      cwd,
      env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" },
    });
  execFileSync("cp", ["-r", source, clone]);
  run(dir, ["init", "--quiet", "--bare", "--initial-branch=main", remote]);
  run(clone, ["init", "--quiet", "--initial-branch=main"]);
  run(clone, ["config", "user.name", "t"]);
  run(clone, ["config", "user.email", "t@t"]);
  run(clone, ["add", "--all"]);
  run(clone, ["commit", "--quiet", "-m", "k3s-flux"]);
  run(clone, ["remote", "add", "origin", remote]);
  run(clone, ["push", "--quiet", "--set-upstream", "origin", "main"]);
  return { clone, remote };
}

/** A file as the remote's main holds it. */
export const atRemote = (remote: string, file: string): string =>
  execFileSync("git", ["--git-dir", remote, "show", `main:${file}`], { encoding: "utf8" });
