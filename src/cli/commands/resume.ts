import { existsSync, readdirSync, readFileSync } from "node:fs";
import { RefusedError } from "../../engine/errors.js";
import { readJournal } from "../../engine/journal-read.js";
import { planDiff } from "../../engine/plan-diff.js";
import { planHash } from "../../engine/plan-hash.js";
import { REDACTED } from "../../engine/redact.js";
import { journalPath, runsDir, stateDir } from "../../engine/state-dir.js";
import { InputError } from "../../errors.js";
import { prepareRun } from "./prepare.js";
import { type ExecuteOptions, execute } from "./run.js";

export interface ResumeOptions extends Omit<ExecuteOptions, "param" | "inventory" | "gitops"> {
  replan?: boolean;
}

/** `recover resume [RUN_ID]`: continues the last unfinished run (or the one named) from its journal. */
export async function resumeCommand(runId: string | undefined, opts: ResumeOptions): Promise<number> {
  const state = stateDir(opts.stateDir, process.env);
  const id = runId ?? lastUnfinished(state);
  const file = journalPath(state, id);
  if (!existsSync(file)) throw new InputError(`no run ${id} in ${runsDir(state)}`, "recover runs lists the runs");
  const journal = readJournal(readFileSync(file, "utf8"));
  if (journal.finished?.outcome === "done")
    throw new InputError(`run ${id} finished; there is nothing to resume`, "start a new run instead");
  const { invocation } = journal;
  if (invocation.args.includes(REDACTED))
    throw new InputError(`run ${id} was given a secret as an argument`, "set it in RECOVER_PARAM_<NAME> and resume again");
  // Secret params are not journalled: they come back from RECOVER_PARAM_<NAME>.
  const param = invocation.param.filter((p) => !p.endsWith(`=${REDACTED}`));
  const prepared = prepareRun(invocation.runbook, invocation.args, {
    param,
    ...(invocation.inventory ? { inventory: invocation.inventory } : {}),
    ...(invocation.gitops ? { gitops: invocation.gitops } : {}),
  });
  if (planHash(prepared.plan) !== journal.planHash) {
    const changes = planDiff(journal.plan, prepared.plan);
    if (!opts.replan)
      throw new RefusedError(
        `the plan of run ${id} changed since it started (runbook or inventory):\n  ${changes.join("\n  ")}\nresume with --replan to continue with the new plan; nothing was run`,
      );
    process.stderr.write(`recover: --replan: continuing run ${id} with the changed plan:\n  ${changes.join("\n  ")}\n`);
  }
  return execute(prepared, { ...opts, param }, { runId: id, invocation, resume: journal.state });
}

/** The newest run whose journal does not end with a successful finish. */
function lastUnfinished(state: string): string {
  const ids = existsSync(runsDir(state)) ? readdirSync(runsDir(state)).sort().reverse() : [];
  for (const id of ids) {
    try {
      const journal = readJournal(readFileSync(journalPath(state, id), "utf8"));
      if (journal.finished?.outcome !== "done") return id;
    } catch {
      // Not a journal: skip it.
    }
  }
  throw new InputError(`no unfinished run in ${runsDir(state)}`, "recover runs lists the runs");
}
