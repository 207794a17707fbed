/**
 * Finding and reading drill scenarios: a name is a file of the scenarios folder of the runbook
 * (fixtures/drills/<runbook>/<name>.yaml, after the GitOps repository's recover/drills/<runbook>/),
 * a path is read as it is. Every problem at once, with file:line:column, as for runbooks.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import type { Diagnostic } from "../source/diagnostics.js";
import { readText } from "../source/read-text.js";
import { SourceDocument } from "../source/source-document.js";
import { ValidationError } from "../source/validation-error.js";
import { diagnosticsFromZod } from "../source/zod-issues.js";
import { type Scenario, scenarioSchema } from "./scenario.js";

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

/** Parses and validates scenario text; every problem at once. */
export function checkScenarioText(file: string, text: string): { scenario?: LoadedScenario; diagnostics: Diagnostic[] } {
  const { doc, diagnostics } = SourceDocument.parse(file, text);
  if (!doc) return { diagnostics };
  const parsed = scenarioSchema.safeParse(doc.data ?? undefined);
  if (!parsed.success) return { diagnostics: diagnosticsFromZod(doc, parsed.error.issues, "drill", scenarioSchema) };
  return { scenario: { file, scenario: parsed.data }, diagnostics: [] };
}

export function loadScenarioFile(file: string): LoadedScenario {
  const { scenario, diagnostics } = checkScenarioText(file, readText(file, "drill scenario"));
  if (!scenario) throw new ValidationError(diagnostics);
  return scenario;
}

/** The folders scenarios of `runbook` are looked up in, first match wins. */
export function scenarioDirs(runbook: string, projectDrills: string, gitops?: string): string[] {
  return [...(gitops ? [path.join(gitops, "recover", "drills", runbook)] : []), path.join(projectDrills, runbook)];
}

/** The names of the scenarios shipped for a runbook. */
export function scenarioNames(dirs: string[]): string[] {
  const names = new Set<string>();
  for (const dir of dirs)
    if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith(".yaml")) names.add(f.replace(/\.yaml$/, ""));
  return [...names].sort();
}

/** `--scenario NAME|FILE` (default: clean; `all`: every one) → the files, in order. */
export function resolveScenarios(requested: string[], dirs: string[]): string[] {
  const wanted = requested.length === 0 ? ["clean"] : requested;
  const files: string[] = [];
  for (const item of wanted) {
    if (item === "all") {
      files.push(...scenarioNames(dirs).map((n) => dirs.map((d) => path.join(d, `${n}.yaml`)).find(existsSync) as string));
      continue;
    }
    if (item.includes("/") || item.endsWith(".yaml") || item.endsWith(".yml")) {
      files.push(path.resolve(item));
      continue;
    }
    const found = dirs.map((d) => path.join(d, `${item}.yaml`)).find(existsSync);
    if (!found)
      throw new InputError(
        `no drill scenario "${item}" (looked in ${dirs.join(", ")})`,
        `available: ${scenarioNames(dirs).join(", ") || "none"}; or give a path to a scenario file`,
      );
    files.push(found);
  }
  return [...new Set(files)];
}
