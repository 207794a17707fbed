import { listRunbooks } from "../../runbook/registry.js";
import { shortPath } from "../../util/paths.js";
import { terminalSafe } from "../../util/terminal-safe.js";
import { gitopsDir } from "./prepare.js";

export function listCommand(opts: { gitops?: string }): void {
  const entries = listRunbooks(gitopsDir(opts.gitops));
  if (entries.length === 0) {
    process.stdout.write("no runbooks found (looked in runbooks/ of the project and recover/runbooks/ of the GitOps repo)\n");
    return;
  }
  const width = Math.max(...entries.map((e) => e.name.length));
  for (const e of entries) {
    const what = e.unreadable
      ? `UNREADABLE (${e.unreadable})`
      : e.problems
        ? `INVALID (${e.problems} problem${e.problems === 1 ? "" : "s"}: recover validate ${shortPath(e.file, process.cwd())})`
        : e.summary;
    process.stdout.write(`${terminalSafe(`${e.name.padEnd(width)}  ${e.source.padEnd(7)}  ${what}`)}\n`);
  }
}
