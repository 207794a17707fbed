import { Argument, Command, CommanderError, Option } from "commander";
import { ExitCode } from "../errors.js";
import { terminalSafe } from "../util/terminal-safe.js";
import { labCommands } from "./lab-commands.js";
import { LAB_OPTION, withLab } from "./lab-option.js";
import { collect } from "./options.js";
import { reportError } from "./report-error.js";
import { runCommands } from "./run-commands.js";
import { recoverVersion } from "./version.js";

const SUBCOMMANDS = new Set([
  "plan",
  "apply",
  "validate",
  "graph",
  "list",
  "schema",
  "check",
  "lab",
  "drill",
  "run",
  "resume",
  "runs",
  "help",
]);

/** Options every command that plans a runbook takes. */
function planOptions(cmd: Command): Command {
  return cmd
    .argument("<runbook>", "runbook name (recover list) or path to a runbook file")
    .argument("[args...]", "the runbook's positional params, in order")
    .option("-p, --param <name=value>", "set a param (repeatable; lists take a,b,c)", collect, [])
    .option("-i, --inventory <file>", "inventory file (default: recover/inventory.yaml in the GitOps repo)")
    .option("-g, --gitops <dir>", "GitOps repository checkout (default: $RECOVER_GITOPS or the current directory)")
    .option(...LAB_OPTION);
}

/** The options of running a plan through the engine (recover RUNBOOK, recover apply FILE). */
function executeOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option("-o, --output <format>", "text: live view on a terminal, else plain lines; plain; json: one event per line")
        .choices(["text", "plain", "json"])
        .default("text"),
    )
    .option("-y, --yes", "answer every confirmation (drills, CI); refuses to re-enter a step that may have run")
    .option("--yes-prompts", "with --yes, also answer prompt steps (manual actions) as done")
    .option("--step", "ask before every step: y(es), n(o, skip), a(ll), q(uit)")
    .option("--parallel <n>", "steps of a stage running at once", "8")
    .option("--state-dir <dir>", "journals and locks (default $XDG_STATE_HOME/recover)")
    .option("-F, --ssh-config <file>", "OpenSSH config to read instead of ~/.ssh/config (like ssh -F)")
    .option("--accept-new-host-key", "add unknown host keys to known_hosts (OpenSSH accept-new); changed keys are always refused")
    .option("--git-author <name-mail>", 'author of the checkpoint commits, "Name <mail>" (default: your git config)');
}

/** How the text preview is laid out. */
function previewOptions(cmd: Command): Command {
  return cmd
    .option("--width <columns>", "fit the preview to this many columns (default: the terminal's, else 120)")
    .option("--wide", "print every line whole, however long")
    .option("--diff", "show under each checkpoint the diff it would commit to the GitOps checkout (worked out in memory)");
}

/** `exit` records the exit code of a command that finished without an error but not with success (check). */
function buildProgram(exit: (code: ExitCode) => void): Command {
  const program = new Command("recover")
    .description("Recovery runbooks for k3s + Flux + Longhorn clusters, run as guarded step graphs over SSH and kubectl.")
    .usage("RUNBOOK [ARGS...] [--dry-run] [options]\n       recover <command> [options]")
    .version(recoverVersion(), "-V, --version")
    .addHelpText(
      "after",
      `
Run a runbook by name (recover list) or file; its positional params follow it:
  recover longhorn-node k3s1 --dry-run --gitops ~/src/k3s-flux
  recover run --help       the options of a run (--dry-run, --param, --inventory, --gitops)

Exit codes: 0 done, 1 stopped after changing things, 2 bad input, 3 refused before changing anything,
4 locked by another run, 130 interrupted (resumable), 70 a bug.`,
    )
    .exitOverride()
    .showHelpAfterError("  hint: recover --help for usage")
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(`recover: ${terminalSafe(s, true)}`),
    });

  const run = previewOptions(
    planOptions(
      program.command("run").description("run a runbook (the default command: recover RUNBOOK ARGS is recover run RUNBOOK ARGS)"),
    ),
  )
    .option("-n, --dry-run", "show the plan; execute nothing")
    .option("--probe", "with --dry-run: run the read-only parts (skipIf, guards, readOnly steps) against the live targets");
  executeOptions(run).action(async (runbook: string, args: string[], opts) => {
    exit(await (await import("./commands/plan.js")).runCommand(runbook, args, await withLab(opts)));
  });

  previewOptions(
    planOptions(program.command("plan").description("print what a runbook would do, every command resolved (same as --dry-run)")),
  )
    .addOption(new Option("-n, --dry-run", "accepted for symmetry: plan never executes anything").hideHelp())
    .addOption(new Option("-o, --output <format>", "output").choices(["text", "json"]).default("text"))
    .option("--out <file>", "also save the plan with its inputs' digests, for recover apply FILE")
    .action(async (runbook: string, args: string[], opts) => {
      exit(await (await import("./commands/plan.js")).planCommand(runbook, args, await withLab(opts)));
    });

  executeOptions(
    program
      .command("apply")
      .description("run exactly a plan saved with recover plan --out FILE; refused (exit 2) when an input changed since")
      .argument("<file>", "the saved plan")
      .option(...LAB_OPTION),
  ).action(async (file: string, opts) => {
    exit(await (await import("./commands/apply.js")).applyCommand(file, await withLab(opts)));
  });

  program
    .command("validate")
    .description("check runbook and inventory files; every problem with file:line:column (exit 0 or 2)")
    .argument("<files...>", "runbook or inventory files, or folders of them")
    .option("-g, --gitops <dir>", "GitOps repository, for runbooks that use others")
    .action(async (files: string[], opts) => (await import("./commands/validate.js")).validateCommand(files, opts));

  planOptions(program.command("graph").description("draw a runbook's step graph"))
    .addOption(new Option("-o, --output <format>", "graph language").choices(["mermaid", "dot"]).default("mermaid"))
    .action(async (runbook: string, args: string[], opts) =>
      (await import("./commands/graph.js")).graphCommand(runbook, args, await withLab(opts)),
    );

  program
    .command("list")
    .description("list the runbooks in runbooks/ of the project and recover/runbooks/ of the GitOps repo")
    .option("-g, --gitops <dir>", "GitOps repository checkout")
    .action(async (opts) => (await import("./commands/list.js")).listCommand(opts));

  program
    .command("schema")
    .description("print the JSON Schema of runbooks, inventories or drill scenarios, for editors")
    .addArgument(new Argument("[kind]", "which file's schema").choices(["runbook", "inventory", "drill"]).default("runbook"))
    .action(async (kind: "runbook" | "inventory" | "drill") => (await import("./commands/schema.js")).schemaCommand(kind));

  program
    .command("check")
    .description("check that this machine reaches the cluster and every node as a run would (read-only; exit 0 or 1)")
    .argument("[nodes...]", "inventory nodes to check (default: all)")
    .option("-g, --gitops <dir>", "GitOps repository checkout (holds recover/inventory.yaml)")
    .option("-i, --inventory <file>", "inventory file (default: <gitops>/recover/inventory.yaml)")
    .option("-F, --ssh-config <file>", "OpenSSH config to read instead of ~/.ssh/config (like ssh -F)")
    .option("--accept-new-host-key", "add unknown host keys to known_hosts (OpenSSH accept-new); changed keys are always refused")
    .option("--timeout <duration>", "per check, as the runbook language writes durations (15s, 1m)", "15s")
    .option(...LAB_OPTION)
    .action(async (nodes: string[], opts) => {
      exit(await (await import("./commands/check.js")).checkCommand(nodes, await withLab(opts)));
    });

  runCommands(program, exit);
  labCommands(program);
  program
    .command("drill")
    .description(
      "a disaster-recovery drill: a lab, the scenario's faults, the runbook unattended, probes of the end state, reports (needs root)",
    )
    .argument("<runbook>", "the runbook to drill (recover list)")
    .argument("[args...]", "its positional params")
    .option(
      "-s, --scenario <name|file>",
      "a scenario of fixtures/drills/RUNBOOK/ or a file (repeatable; all: every one; default: clean)",
      collect,
      [],
    )
    .option("-p, --param <name=value>", "set a param of the runbook (repeatable)", collect, [])
    .option("--lab [dir]", "drill on this running lab instead of bringing one up per scenario (it is left as the drill leaves it)")
    .option("--junit <file>", "write the JUnit XML report here (default: in the reports folder)")
    .option("--json <file>", "write the JSON report, with per-step timings, here (default: in the reports folder)")
    .option("--reports <dir>", "folder for reports and the kept Git remotes (default: $XDG_STATE_HOME/recover/drills/TIME)")
    .option("--speed <factor>", "how much faster than real the lab's simulated controllers act", "10")
    .option("--keep", "leave each lab up after its drill")
    .action(async (runbook: string, args: string[], opts) => {
      exit(await (await import("./commands/drill.js")).drillCommand(runbook, args, opts));
    });
  // recover's own options only before a command (`lab up --version 1.9.2` is Longhorn's); set last, so
  // subcommands do not inherit it (`lab kube-api faults --kubeconfig F` keeps reading its parent's option).
  program.enablePositionalOptions();

  return program;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  // `recover longhorn-node k3s1` is `recover run longhorn-node k3s1`.
  const args = first !== undefined && !first.startsWith("-") && !SUBCOMMANDS.has(first) ? ["run", ...argv] : argv;
  let code = ExitCode.Ok;
  try {
    const program = buildProgram((c) => {
      code = c;
    });
    const help = args[0] === "run" && args[1] !== undefined && !args[1].startsWith("-") && args.some((a) => a === "-h" || a === "--help");
    if (help) {
      const gitopsAt = args.findIndex((a) => a === "-g" || a === "--gitops");
      const text = (await import("./commands/runbook-help.js")).runbookHelp(
        args[1] as string,
        gitopsAt > 0 ? args[gitopsAt + 1] : undefined,
      );
      // The runbook's own usage and params first, then the options of a run: no generic `run <runbook>` usage.
      program.commands
        .find((c) => c.name() === "run")
        ?.configureHelp({
          formatHelp: (cmd, helper) => {
            const options = helper.visibleOptions(cmd);
            const width = Math.max(...options.map((o) => helper.optionTerm(o).length));
            const lines = options.map((o) => `  ${helper.optionTerm(o).padEnd(width)}  ${helper.optionDescription(o)}`);
            return `${text}Options:\n${lines.join("\n")}\n`;
          },
        });
    }
    await program.parseAsync(args, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help")
        return ExitCode.Ok;
      return ExitCode.InvalidInput;
    }
    return reportError(error);
  }
}
