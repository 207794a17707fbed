// The Git checkpoint module (src/checkpoint) on a real clone with a bare remote, recording each
// commit with the stage it closed and the files it changed (the journal snapshot and
// .sourceignore left out), in order, so a runbook's Git half can be asserted on what the remote
// holds. A second run through the same instance is a resume (or a rerun): its preflight lets the
// run's own uncommitted edits pass, as the CLI's resume does.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { type GitCheckpoints, openCheckpoints } from "../../../src/checkpoint/index.js";
import type { CheckpointPort } from "../../../src/engine/ports.js";
import type { Plan } from "../../../src/plan/types.js";

export interface Commit {
  stage: string;
  files: string[];
  pushed: boolean;
}

export class TestCheckpoints implements CheckpointPort {
  readonly commits: Commit[] = [];
  private current?: GitCheckpoints;
  private runs = 0;

  constructor(private readonly repo: string) {}

  private get git(): GitCheckpoints {
    if (!this.current) throw new Error("the engine calls preflight before any edit or commit");
    return this.current;
  }

  async preflight(plan: Plan): Promise<{ branch: string; head: string }> {
    this.current = openCheckpoints({ repoDir: this.repo, resumed: this.runs > 0 });
    this.runs += 1;
    return this.current.preflight(plan);
  }

  applyEdit(step: Parameters<CheckpointPort["applyEdit"]>[0]): ReturnType<CheckpointPort["applyEdit"]> {
    return this.git.applyEdit(step);
  }

  async commitStage(input: Parameters<CheckpointPort["commitStage"]>[0]): Promise<{ commit: string | null; pushed: boolean }> {
    const result = await this.git.commitStage(input);
    if (result.commit) {
      const files = execFileSync("git", ["-C", this.repo, "show", "--name-only", "--format=", result.commit], { encoding: "utf8" })
        .split("\n")
        .filter((f) => f !== "" && !f.startsWith(".recover/") && f !== ".sourceignore");
      this.commits.push({ stage: input.stage.id, files, pushed: result.pushed });
    }
    return result;
  }

  committedStage(
    input: Parameters<NonNullable<CheckpointPort["committedStage"]>>[0],
  ): ReturnType<NonNullable<CheckpointPort["committedStage"]>> {
    return this.git.committedStage(input);
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
