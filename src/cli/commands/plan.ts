import { writeFileSync } from "node:fs";
import { ExitCode, InputError } from "../../errors.js";
import type { Plan } from "../../plan/types.js";
import { digestInputs } from "../../preflight/local/plan-inputs.js";
import { DEFAULT_WIDTH, renderText } from "../../preview/text.js";
import { reportFindings, runLocalChecks } from "../local-checks.js";
import { recoverVersion } from "../version.js";
import { type PlanOptions, type PreparedRun, prepareRun } from "./prepare.js";
import type { ExecuteOptions } from "./run.js";

export interface PlanCommandOptions extends PlanOptions {
  output: "text" | "json" | "plain";
  dryRun?: boolean;
  probe?: boolean;
  /** Save the plan, with its inputs' digests, for `recover apply FILE`. */
  out?: string;
  /** Terminal columns to fit the text preview to. */
  width?: string;
  wide?: boolean;
  /** Show under each checkpoint the unified diff it would commit. */
  diff?: boolean;
}

/**
 * The dry-run: plan, check locally, print (text, or the Plan as JSON: exactly what the engine
 * runs), and with --out save the plan with its inputs' digests for `recover apply`. Exits 2 when a
 * local check finds an error; a plan with errors is not saved.
 */
export async function planCommand(runbook: string, args: string[], opts: PlanCommandOptions): Promise<number> {
  const prepared = prepareRun(runbook, args, opts);
  const { findings, head } = await runLocalChecks(prepared.plan, prepared.inventory);
  const { plan } = prepared;
  if (opts.diff && opts.output === "json")
    throw new InputError("--diff shows in the text preview; -o json prints the Plan alone", "drop -o json, or drop --diff");
  // The diff machinery loads only when asked for.
  const diff = opts.diff ? (await import("./plan-diff.js")).checkpointDiffLines(plan, prepared.repoDir) : undefined;
  if (opts.output === "json") process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
  else
    process.stdout.write(
      renderText(plan, {
        base: process.cwd(),
        color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
        ...layout(opts),
        ...(diff ? { checkpointDetail: diff.lines } : {}),
      }),
    );
  let code = reportFindings(findings);
  if (diff && diff.problems > 0) {
    const stages = `${diff.problems} stage${diff.problems === 1 ? "" : "s"}`;
    process.stderr.write(
      `recover: error: ${stages} would fail on an edit that cannot apply to this checkout (marked ✗ above); nothing was run\n`,
    );
    code = ExitCode.InvalidInput;
  }
  if (opts.out) {
    if (code !== ExitCode.Ok) process.stderr.write(`recover: the plan was not saved to ${opts.out}.\n`);
    else {
      const saved: Plan = { ...plan, inputs: digestInputs(plan, sources(prepared, head)) };
      writeFileSync(opts.out, `${JSON.stringify(saved, null, 2)}\n`);
      process.stderr.write(`recover: saved the plan to ${opts.out}; run exactly this plan with: recover apply ${opts.out}\n`);
    }
  }
  return code;
}

/** `recover RUNBOOK ARGS`: the dry-run prints the plan and constructs no engine; otherwise the engine runs it. */
export async function runCommand(runbook: string, args: string[], opts: PlanCommandOptions & ExecuteOptions): Promise<number> {
  if (opts.probe && !opts.dryRun) throw new InputError("--probe goes with --dry-run", "write --dry-run --probe");
  if (opts.dryRun && opts.probe) return (await import("./probe.js")).probeCommand(runbook, args, opts);
  if (opts.dryRun) {
    if (opts.output === "plain") opts.output = "text";
    return planCommand(runbook, args, opts);
  }
  return (await import("./run.js")).executeCommand(runbook, args, opts);
}

/** The runbooks by name (the used ones are found by name again when the plan is applied), the inventory, HEAD. */
function sources(prepared: PreparedRun, head: string | null) {
  const used = [...prepared.runbooks].map(([name, rb]) => ({ name, file: rb.file }));
  return {
    recover: recoverVersion(),
    runbooks: [{ name: prepared.runbook.spec.metadata.name, file: prepared.runbook.file }, ...used],
    ...(prepared.plan.inventory ? { inventory: prepared.plan.inventory } : {}),
    head,
  };
}

/** Narrower, and the preview's columns (tree, labels, values) no longer fit side by side. */
const MIN_WIDTH = 40;

/** --wide, --width N, else the terminal's width on a TTY, else 120. */
export function layout(opts: { width?: string; wide?: boolean }): { width: number; wide: boolean } {
  if (opts.width !== undefined && !(/^\d+$/.test(opts.width) && Number(opts.width) >= MIN_WIDTH))
    throw new InputError(
      `--width ${JSON.stringify(opts.width)} is not a number of columns (at least ${MIN_WIDTH})`,
      "write e.g. --width 100, or --wide for no wrapping",
    );
  const width =
    opts.width !== undefined ? Number(opts.width) : process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : DEFAULT_WIDTH;
  return { width, wide: opts.wide ?? false };
}
