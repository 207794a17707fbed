import { describe, expect, it } from "vitest";
import { pickRunToResume, type RunInGit } from "../../src/checkpoint/index.js";
import { ExitCode } from "../../src/errors.js";

const run = (runId: string, stageIndex: number, status: RunInGit["status"] = "done"): RunInGit => ({
  runId,
  stageIndex,
  stageCount: 3,
  stageId: ["one", "two", "three"][stageIndex] as string,
  status,
  planHash: "h",
  commit: `${runId.length}`.padEnd(40, "a"),
  date: "2026-01-01T00:00:00Z",
  journal: "",
});

const refusal = (f: () => unknown): { message: string; exitCode: number } => {
  try {
    f();
  } catch (error) {
    return error as { message: string; exitCode: number };
  }
  throw new Error("not refused");
};

describe("pickRunToResume", () => {
  it("takes the only unfinished run, or the one named", () => {
    const finished = run("r1", 2);
    const open = run("r2", 1, "interrupted");
    expect(pickRunToResume([open, finished], undefined, "repo")).toBe(open);
    expect(pickRunToResume([open, run("r3", 0)], "r3", "repo").runId).toBe("r3");
  });

  it("a run whose last stage failed is unfinished; one whose last stage is done is not", () => {
    expect(pickRunToResume([run("r1", 2, "failed")], undefined, "repo").runId).toBe("r1");
    const done = refusal(() => pickRunToResume([run("r1", 2)], "r1", "repo"));
    expect(done).toMatchObject({ exitCode: ExitCode.InvalidInput });
    expect(done.message).toBe("run r1 finished: its last checkpoint is stage 3/3 three (done, commit 2aaaaaa); there is nothing to resume");
  });

  it("refuses to guess: none, several and none named, an unknown id (exit 2)", () => {
    expect(refusal(() => pickRunToResume([], undefined, "repo")).message).toBe(
      "no unfinished run in the history of repo (its current branch)",
    );
    const several = refusal(() => pickRunToResume([run("r2", 0), run("r1", 1)], undefined, "repo"));
    expect(several).toMatchObject({ exitCode: ExitCode.InvalidInput });
    expect(several.message).toContain(
      "2 unfinished runs in the history of repo; name the one to resume:\n  r2  last checkpoint stage 1/3 one",
    );
    expect(refusal(() => pickRunToResume([run("r1", 0)], "r9", "repo")).message).toBe(
      "no checkpoint of run r9 in the history of repo (its current branch)",
    );
  });
});
