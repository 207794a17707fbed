import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readJournal } from "../../engine/journal-read.js";
import { journalPath, runsDir, stateDir } from "../../engine/state-dir.js";
import { InputError } from "../../errors.js";
import { runJson, runRow, runsTable, runText } from "../../report/runs.js";

/** `recover runs`: every run in the state directory, newest first (`--from-git`: the runs the GitOps history records). */
export async function runsCommand(opts: { stateDir?: string; output: "text" | "json"; fromGit?: boolean; gitops?: string }): Promise<void> {
  if (opts.fromGit) return (await import("./runs-from-git.js")).runsFromGitCommand(opts);
  const state = stateDir(opts.stateDir, process.env);
  const ids = existsSync(runsDir(state)) ? readdirSync(runsDir(state)).sort().reverse() : [];
  const rows = ids.flatMap((id) => {
    try {
      return [runRow(readJournal(readFileSync(journalPath(state, id), "utf8")))];
    } catch {
      return [];
    }
  });
  process.stdout.write(opts.output === "json" ? `${JSON.stringify(rows, null, 2)}\n` : runsTable(rows));
}

/** `recover runs show ID`: one run, readable or as data. */
export function runShowCommand(id: string, opts: { stateDir?: string; output: "text" | "json" }): void {
  const file = journalPath(stateDir(opts.stateDir, process.env), id);
  if (!existsSync(file)) throw new InputError(`no run ${id}`, "recover runs lists the runs");
  const journal = readJournal(readFileSync(file, "utf8"));
  process.stdout.write(opts.output === "json" ? `${JSON.stringify(runJson(journal), null, 2)}\n` : runText(journal));
}
