import { existsSync, lstatSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../errors.js";
import type { Diagnostic } from "../source/diagnostics.js";
import { readText } from "../source/read-text.js";
import { ValidationError } from "../source/validation-error.js";
import { checkRunbookText, type LoadedRunbook } from "./load.js";
import type { RunbookSpec } from "./schema.js";

/** The project's own runbooks, shipped beside dist/. */
export const PROJECT_RUNBOOKS = fileURLToPath(new URL("../../runbooks/", import.meta.url));

/** Where runbooks are looked up by name: the GitOps repo's first (an operator's own override), then the project's. */
export function runbookDirs(gitops?: string): { dir: string; source: "gitops" | "project" }[] {
  const dirs: { dir: string; source: "gitops" | "project" }[] = [];
  if (gitops) dirs.push({ dir: join(resolve(gitops), "recover", "runbooks"), source: "gitops" });
  dirs.push({ dir: PROJECT_RUNBOOKS, source: "project" });
  return dirs;
}

/** The file a runbook name stands for; an entry that cannot be read (a symlink loop, a FIFO) is found too, so that reading it says why. */
export function findRunbookFile(name: string, gitops?: string): string | undefined {
  for (const { dir } of runbookDirs(gitops)) {
    for (const ext of [".yaml", ".yml"]) {
      const file = join(dir, name + ext);
      if (present(file)) return file;
    }
  }
  return undefined;
}

function present(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

export interface RunbookEntry {
  name: string;
  file: string;
  source: "gitops" | "project";
  summary?: string;
  problems?: number;
  /** Why the file could not be read at all (not a regular file, a symlink out of its folder, a loop). */
  unreadable?: string;
}

/** Every runbook file in the lookup dirs; a name found twice shows the one that wins. */
export function listRunbooks(gitops?: string): RunbookEntry[] {
  const seen = new Map<string, RunbookEntry>();
  for (const { dir, source } of runbookDirs(gitops)) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir).sort()) {
      if (!/\.ya?ml$/.test(entry)) continue;
      const name = entry.replace(/\.ya?ml$/, "");
      if (seen.has(name)) continue;
      const file = join(dir, entry);
      try {
        const { runbook } = loadRunbookSet(file, gitops);
        seen.set(name, { name, file, source, summary: runbook.spec.summary });
      } catch (error) {
        if (error instanceof ValidationError) seen.set(name, { name, file, source, problems: error.diagnostics.length });
        else if (error instanceof InputError) seen.set(name, { name, file, source, problems: 1, unreadable: error.message });
        else throw error;
      }
    }
  }
  return [...seen.values()];
}

/** A runbook (by file or name) with every runbook it uses, all validated. */
export function loadRunbookSet(fileOrName: string, gitops?: string): { runbook: LoadedRunbook; runbooks: Map<string, LoadedRunbook> } {
  const file = resolveRunbookArg(fileOrName, gitops);
  const runbooks = new Map<string, LoadedRunbook>();
  const diagnostics: Diagnostic[] = [];
  const loading = new Set<string>();
  const load = (path: string): LoadedRunbook | undefined => {
    loading.add(resolve(path));
    const { runbook, diagnostics: found } = checkRunbookText(path, readText(path, "runbook"), {
      findRunbook: (name) => {
        const cached = runbooks.get(name);
        if (cached) return cached.spec;
        const usedFile = findRunbookFile(name, gitops);
        if (!usedFile) return undefined;
        if (loading.has(resolve(usedFile))) {
          const stack = [...loading];
          return { cycle: [...stack.slice(stack.indexOf(resolve(usedFile))), usedFile].map((f) => basename(f)) };
        }
        const used = load(usedFile);
        if (used) runbooks.set(name, used);
        return used?.spec ?? ({ metadata: { name } } as RunbookSpec);
      },
    });
    loading.delete(resolve(path));
    diagnostics.push(...found);
    if (runbook) {
      const problem = nameProblem(runbook, gitops);
      if (problem) {
        diagnostics.push(problem);
        return undefined;
      }
    }
    return runbook;
  };
  const runbook = load(file);
  if (!runbook || diagnostics.length > 0) throw new ValidationError(diagnostics);
  return { runbook, runbooks };
}

export function resolveRunbookArg(fileOrName: string, gitops?: string): string {
  if (/[/\\]|\.ya?ml$/.test(fileOrName)) return fileOrName;
  const found = findRunbookFile(fileOrName, gitops);
  if (found) return found;
  const names = listNames(gitops);
  throw new InputError(
    `unknown runbook "${fileOrName}"`,
    names.length ? `available: ${names.join(", ")} (recover list); or give a path to a runbook file` : "give a path to a runbook file",
  );
}

function listNames(gitops?: string): string[] {
  const names = new Set<string>();
  for (const { dir } of runbookDirs(gitops)) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) if (/\.ya?ml$/.test(entry)) names.add(entry.replace(/\.ya?ml$/, ""));
  }
  return [...names].sort();
}

/** Runbooks in the lookup dirs are found by file name, so their metadata.name must be that name. */
function nameProblem(runbook: LoadedRunbook, gitops?: string): Diagnostic | undefined {
  const file = resolve(runbook.file);
  const inLookupDir = runbookDirs(gitops).some(({ dir }) => resolve(dir) === dirname(file));
  const expected = basename(file).replace(/\.ya?ml$/, "");
  if (!inLookupDir || runbook.spec.metadata.name === expected) return undefined;
  return runbook.doc.diagnostic(
    ["metadata", "name"],
    "metadata.name",
    `"${runbook.spec.metadata.name}" differs from the file name ${basename(file)}`,
    `recover finds runbooks by file name: rename the file or set name: ${expected}`,
  );
}
