import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../errors.js";
import { checkInventoryText } from "../../inventory/load.js";
import type { Diagnostic } from "../../source/diagnostics.js";
import { readText } from "../../source/read-text.js";
import { ValidationError } from "../../source/validation-error.js";
import { cachedRunbookSet } from "../cache/runbook-set.js";
import { userCache } from "../cache/user-cache.js";
import { gitopsDir } from "./prepare.js";

/** Validates runbooks and inventories (told apart by `kind:`); lists every problem of every file. */
export function validateCommand(args: string[], opts: { gitops?: string }): void {
  const gitops = gitopsDir(opts.gitops);
  const problems: Diagnostic[] = [];
  const found = args.map(expandArgument);
  const files = found.flatMap((f) => f.files);
  const skipped = found.reduce((n, f) => n + f.skipped, 0);
  for (const file of files) {
    const { text, problems: unreadable } = readOrProblem(file, args.includes(file));
    problems.push(...unreadable);
    if (text === undefined) continue;
    if (/^kind:\s*Inventory\s*$/m.test(text)) {
      problems.push(...checkInventoryText(file, text).diagnostics);
      continue;
    }
    try {
      cachedRunbookSet(file, gitops, userCache());
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...error.diagnostics);
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  const other = skipped > 0 ? ` (${skipped} other YAML file${skipped === 1 ? "" : "s"} skipped: not runbooks or inventories)` : "";
  process.stdout.write(`${files.length} file${files.length === 1 ? "" : "s"} valid${other}\n`);
}

/** A file given by name is always validated. */
function expandArgument(path: string): { files: string[]; skipped: number } {
  if (!existsSync(path) || !statSync(path).isDirectory()) return { files: [path], skipped: 0 };
  const yaml = yamlFilesBelow(path);
  // Below a folder, Kubernetes manifests (a GitOps repo is full of them) are skipped; anything that may be ours is checked.
  const files = yaml.filter((f) => {
    const { text } = readOrProblem(f);
    return text === undefined || mayBeRecoverFile(f, text); // an unreadable file is reported, not skipped
  });
  if (files.length === 0)
    throw new InputError(`no runbook or inventory below ${path}`, "give runbook or inventory files, or a folder holding them");
  return { files, skipped: yaml.length - files.length };
}

/**
 * A file's text, or why it cannot be read as a problem of that file (invalid UTF-8 at its
 * position; a FIFO or a symlink out of a folder that was searched), so the other files are still
 * checked. A file named on the command line that cannot be opened stops the command, as a typo would.
 */
function readOrProblem(file: string, named = false): { text?: string; problems: Diagnostic[] } {
  try {
    return { text: readText(file, "file"), problems: [] };
  } catch (error) {
    if (error instanceof ValidationError) return { problems: error.diagnostics };
    if (!(error instanceof InputError) || named) throw error;
    const problem: Diagnostic = { path: "", message: error.message, position: { file, line: 1, column: 1 } };
    return { problems: [error.hint ? { ...problem, hint: error.hint } : problem] };
  }
}

/** In a runbooks/ or recover/ folder, or without another API's apiVersion: a typo in `kind` must not hide a runbook. */
function mayBeRecoverFile(file: string, text: string): boolean {
  if (/(^|[\\/])(recover|runbooks)[\\/]/.test(file)) return true;
  if (/^kind:\s*["']?(Runbook|Inventory)\b/m.test(text)) return true;
  const apiVersion = /^apiVersion:\s*["']?([^\s"'#]+)/m.exec(text)?.[1];
  return apiVersion === undefined || apiVersion.startsWith("recover");
}

/** Every .yaml/.yml file below `dir`, in sorted order; hidden folders and symlinked folders are not entered. */
function yamlFilesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name.startsWith(".") || entry.name === "node_modules" ? [] : yamlFilesBelow(path);
      return entry.isFile() && /\.ya?ml$/.test(entry.name) ? [path] : [];
    });
}
