import { type Command, Option } from "commander";
import { type ExitCode, InputError } from "../errors.js";
import { LAB_OPTION, withLab } from "./lab-option.js";

/** `recover resume` and `recover runs`: the run history in the state directory. */
export function runCommands(program: Command, exit: (code: ExitCode) => void): void {
  program
    .command("resume")
    .description("continue the last unfinished run (or RUN_ID): completed steps are not run again")
    .argument("[run-id]", "a run id from recover runs (with --from-git: from recover runs --from-git)")
    .option(
      "--from-git",
      "another machine (a fresh clone, or after git fetch): find the run in the GitOps repository's checkpoint commits and continue from its journal there",
    )
    .option("-g, --gitops <dir>", "with --from-git: the GitOps checkout (default: $RECOVER_GITOPS or the current directory)")
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
    .addHelpText("after", RESUME_HELP)
    .action(async (runId: string | undefined, opts) => {
      if (opts.gitops !== undefined && !opts.fromGit)
        throw new InputError("--gitops goes with --from-git", "a local resume uses the checkout its journal names; drop --gitops");
      const command = opts.fromGit
        ? (await import("./commands/resume-from-git.js")).resumeFromGitCommand
        : (await import("./commands/resume.js")).resumeCommand;
      exit((await command(runId, await withLab(opts))) as ExitCode);
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

const RESUME_HELP = `
From Git (--from-git): the run is found by its checkpoint commits (trailer Recover-Run) in the
checkout's current branch; without RUN_ID, the only unfinished one. Its journal as of that
checkpoint goes to the state directory and the run continues from there. Steps after that
checkpoint may have run on the lost machine: each runs again through its skipIf and guards, and
destructive ones ask again (--yes answers them). A local journal of the run is used when it goes
further than Git's; an older one is kept as journal.jsonl.before-from-git; one that disagrees
with Git's is refused.

Exit codes: 0 done; 1 stopped after changing things; 2 no such run, no unfinished run, several
unfinished runs and none named, or the run finished; 3 refused before anything changed (the plan
changed without --replan, a local journal that disagrees with Git's, not a Git repository);
4 locked (also by this run's own lease, still live from the lost machine: it says when it runs
out); 130 interrupted.
`;
