import { usageLine } from "../../runbook/params.js";
import { loadRunbookSet } from "../../runbook/registry.js";
import type { ParamSpec } from "../../runbook/schema.js";
import { terminalSafe } from "../../util/terminal-safe.js";
import { gitopsDir } from "./prepare.js";

/**
 * What `recover RUNBOOK --help` prints before the run options: the runbook's summary, usage and
 * params in aligned columns; when it cannot be loaded, why, and where recover looked.
 */
export function runbookHelp(name: string, gitops?: string): string {
  let loaded: ReturnType<typeof loadRunbookSet>;
  try {
    loaded = loadRunbookSet(name, gitopsDir(gitops));
  } catch (error) {
    const where = gitops
      ? `in runbooks/ and ${gitops}/recover/runbooks/`
      : "in runbooks/ (add --gitops DIR for the GitOps repo's own runbooks)";
    return `recover: cannot show the params of "${terminalSafe(name)}": ${terminalSafe((error as Error).message)}\n  looked ${terminalSafe(where)}; recover list shows what it finds\n\n`;
  }
  const { spec } = loaded.runbook;
  const lines = [`${spec.metadata.name}: ${spec.summary}`, "", `Usage: ${usageLine(spec)} [--dry-run] [options]`];
  const description = spec.description?.trim();
  if (description) lines.push("", ...description.split("\n").map((l) => `  ${l}`.trimEnd()));
  const params = Object.entries(spec.params ?? {});
  if (params.length > 0) {
    lines.push("", "Params:");
    const width = Math.max(...params.map(([n, p]) => paramWord(n, p).length));
    for (const [param, p] of params) {
      lines.push(`  ${paramWord(param, p).padEnd(width)}  ${p.description ?? ""}`.trimEnd());
      lines.push(`  ${" ".repeat(width)}  ${paramFacts(param, p)}`);
    }
  }
  // Summaries and descriptions are input: their control characters are shown, never acted on.
  return `${lines.map((l) => terminalSafe(l)).join("\n")}\n\n`;
}

function paramWord(name: string, p: ParamSpec): string {
  return p.positional ? `<${name}>` : `--param ${name}=<${p.type}>`;
}

function paramFacts(name: string, p: ParamSpec): string {
  return [
    p.type,
    p.default !== undefined ? `default ${JSON.stringify(p.default)}` : "required",
    p.pattern ? `pattern ${p.pattern}` : "",
    p.enum ? `one of ${p.enum.join(", ")}` : "",
    p.in ? `one of ${p.in}` : "",
    p.secret ? `secret: or RECOVER_PARAM_${name.toUpperCase()} in the environment` : "",
  ]
    .filter(Boolean)
    .join("; ");
}
