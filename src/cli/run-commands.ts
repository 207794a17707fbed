import { type Command, Option } from "commander";
import type { ExitCode } from "../errors.js";
import { LAB_OPTION, withLab } from "./lab-option.js";

/** `recover resume` and `recover runs`: the run history in the state directory. */
export function runCommands(program: Command, exit: (code: ExitCode) => void): void {
  program
    .command("resume")
    .description("continue the last unfinished run (or RUN_ID): completed steps are not run again")
    .argument("[run-id]", "a run id from recover runs")
    .option("--replan", "continue although the runbook or inventory changed (prints what changed)")
    .addOption(new Option("-o, --output <format>", "text, plain or json (as for a run)").choices(["text", "plain", "json"]).default("text"))
    .option("-y, --yes", "answer every confirmation; a step that may have run without skipIf is then refused (exit 3)")
    .option("--yes-prompts", "with --yes, also answer prompt steps")
    .option("--step", "ask before every step")
    .option("--parallel <n>", "steps of a stage running at once", "8")
    .option("--state-dir <dir>", "journals and locks (default $XDG_STATE_HOME/recover)")
    .option("-F, --ssh-config <file>", "OpenSSH config to read instead of ~/.ssh/config")
    .option("--accept-new-host-key", "add unknown host keys to known_hosts (accept-new)")
    .option(...LAB_OPTION)
    .option("--git-author <name-mail>", 'author of the checkpoint commits, "Name <mail>" (default: your git config)')
    .action(async (runId: string | undefined, opts) => {
      exit((await (await import("./commands/resume.js")).resumeCommand(runId, await withLab(opts))) as ExitCode);
    });

  const runs = program
    .command("runs")
    .description("list runs (id, runbook, params, state, started, duration)")
    .option("--state-dir <dir>", "journals and locks (default $XDG_STATE_HOME/recover)")
    .option("--from-git", "list the runs recorded in the GitOps repository's history instead (checkpoint commits, any clone)")
    .option("-g, --gitops <dir>", "with --from-git: the GitOps checkout (default: $RECOVER_GITOPS or the current directory)")
    .addOption(new Option("-o, --output <format>", "output").choices(["text", "json"]).default("text"))
    .option(...LAB_OPTION)
    .action(async (opts) => (await import("./commands/runs.js")).runsCommand(await withLab(opts)));
  runs
    .command("show")
    .description("print one run: every step's state and why")
    .argument("<run-id>")
    .action(async (id: string, opts, cmd: Command) =>
      (await import("./commands/runs.js")).runShowCommand(id, await withLab({ ...cmd.optsWithGlobals(), ...opts })),
    );
}
