import { usageLine } from "../../runbook/params.js";
import { loadRunbookSet } from "../../runbook/registry.js";
import { gitopsDir } from "./prepare.js";

/** What `recover RUNBOOK --help` adds: the runbook's usage and params; empty when it cannot be loaded. */
export function runbookHelp(name: string, gitops?: string): string {
  try {
    const { runbook } = loadRunbookSet(name, gitopsDir(gitops));
    const { spec } = runbook;
    const lines = [``, `${spec.metadata.name}: ${spec.summary}`, `usage: ${usageLine(spec)} [--dry-run]`];
    const params = Object.entries(spec.params ?? {});
    if (params.length > 0) lines.push("", "params:");
    for (const [param, p] of params) {
      const facts = [
        p.type,
        p.positional ? "positional" : `--param ${param}=…`,
        p.default !== undefined ? `default ${JSON.stringify(p.default)}` : "required",
        p.pattern ? `pattern ${p.pattern}` : "",
        p.enum ? `one of ${p.enum.join(", ")}` : "",
        p.in ? `one of ${p.in}` : "",
        p.secret ? `secret (RECOVER_PARAM_${param.toUpperCase()})` : "",
      ].filter(Boolean);
      lines.push(`  ${param}  ${p.description ?? ""}${p.description ? " " : ""}(${facts.join("; ")})`);
    }
    return `${lines.join("\n")}\n`;
  } catch {
    return "";
  }
}
