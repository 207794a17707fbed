import { findRunsInGit, type RunInGit } from "../../checkpoint/git/find-runs.js";
import { finishedInGit } from "../../checkpoint/git/pick-run.js";
import { gitopsDir } from "./prepare.js";

/** `recover runs --from-git`: the runs the checkout's history records, newest first (from any clone). */
export async function runsFromGitCommand(opts: { gitops?: string; output: "text" | "json" }): Promise<void> {
  const dir = gitopsDir(opts.gitops) ?? ".";
  const runs = (await findRunsInGit(dir)).map(summary);
  if (opts.output === "json") {
    process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    return;
  }
  if (runs.length === 0) {
    process.stdout.write(`no recover runs in the history of ${dir}\n`);
    return;
  }
  const rows = [
    ["RUN", "RUNBOOK", "LAST CHECKPOINT", "STATUS", "COMMIT", "DATE"],
    ...runs.map((r) => [r.runId, r.runbook, `${r.stageIndex + 1}/${r.stageCount} ${r.stageId}`, r.state, r.commit.slice(0, 12), r.date]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  process.stdout.write(
    `${rows
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join("  ")
          .trimEnd(),
      )
      .join("\n")}\n`,
  );
}

/** A run without its journal, with what its first record says (runbook and params) and whether it finished. */
function summary(run: RunInGit) {
  const { journal, ...rest } = run;
  const first = parseFirstRecord(journal);
  const params = Object.values(first?.plan?.params ?? {})
    .filter((v) => v !== "<secret>")
    .map((v) => (Array.isArray(v) ? v.join(",") : String(v)));
  return {
    ...rest,
    runbook: [first?.plan?.runbook?.name ?? "?", ...params].join(" "),
    state: finishedInGit(run) ? "done" : `${run.status}, unfinished`,
  };
}

function parseFirstRecord(journal: string): { plan?: { runbook?: { name?: string }; params?: Record<string, unknown> } } | undefined {
  try {
    const end = journal.indexOf("\n");
    return JSON.parse(end < 0 ? journal : journal.slice(0, end)) as never;
  } catch {
    return undefined;
  }
}
