import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../errors.js";
import { checkInventoryText } from "../../inventory/load.js";
import { loadRunbookSet } from "../../runbook/registry.js";
import type { Diagnostic } from "../../source/diagnostics.js";
import { readText } from "../../source/read-text.js";
import { ValidationError } from "../../source/validation-error.js";
import { gitopsDir } from "./prepare.js";

/** Validates runbooks and inventories (told apart by `kind:`); lists every problem of every file. */
export function validateCommand(args: string[], opts: { gitops?: string }): void {
  const gitops = gitopsDir(opts.gitops);
  const problems: Diagnostic[] = [];
  const files = args.flatMap(expandDirectory);
  for (const file of files) {
    const text = readText(file, "file");
    if (/^kind:\s*Inventory\s*$/m.test(text)) {
      problems.push(...checkInventoryText(file, text).diagnostics);
      continue;
    }
    try {
      loadRunbookSet(file, gitops);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...error.diagnostics);
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  process.stdout.write(`${files.length} file${files.length === 1 ? "" : "s"} valid\n`);
}

/** A directory stands for the YAML files directly in it. */
function expandDirectory(path: string): string[] {
  if (!existsSync(path) || !statSync(path).isDirectory()) return [path];
  const found = readdirSync(path)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(path, f));
  if (found.length === 0) throw new InputError(`no .yaml files in ${path}`, "give runbook or inventory files, or a folder holding them");
  return found;
}
