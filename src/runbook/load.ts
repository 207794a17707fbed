import { API_VERSION } from "../source/api-version.js";
import type { SourcePositions } from "../source/cached-document.js";
import { collector } from "../source/collector.js";
import type { Diagnostic } from "../source/diagnostics.js";
import { repairForRules, underRepaired } from "../source/lenient.js";
import { readText } from "../source/read-text.js";
import { SourceDocument } from "../source/source-document.js";
import { ValidationError } from "../source/validation-error.js";
import { diagnosticsFromZod } from "../source/zod-issues.js";
import type { FindRunbook, Rule } from "./rules/context.js";
import { editsRule } from "./rules/edits.js";
import { expressionsRule } from "./rules/expressions.js";
import { needsRule } from "./rules/needs.js";
import { paramsRule } from "./rules/params.js";
import { shellTemplatesRule } from "./rules/shell-templates.js";
import { destructiveRule, idsRule, structureRule } from "./rules/structure.js";
import { targetsRule } from "./rules/targets.js";
import { usesRule } from "./rules/uses.js";
import { type RunbookSpec, runbookSchema } from "./schema.js";

/** A runbook that passed every check, with the source it came from. */
export interface LoadedRunbook {
  file: string;
  spec: RunbookSpec;
  doc: SourcePositions;
}

const RULES: Rule[] = [
  structureRule,
  idsRule,
  needsRule,
  targetsRule,
  destructiveRule,
  paramsRule,
  usesRule,
  editsRule,
  expressionsRule,
  shellTemplatesRule,
];

export interface LoadOptions {
  /** Finds another runbook by name, for `uses`. */
  findRunbook?: FindRunbook;
}

/** Parses and validates runbook text; returns every problem at once. */
export function checkRunbookText(
  file: string,
  text: string,
  options: LoadOptions = {},
): { runbook?: LoadedRunbook; diagnostics: Diagnostic[] } {
  const { doc, diagnostics } = SourceDocument.parse(file, text);
  if (!doc) return { diagnostics };
  if (doc.data === null || typeof doc.data !== "object" || Array.isArray(doc.data)) {
    return {
      diagnostics: [
        doc.diagnostic(
          [],
          "",
          "a runbook is a YAML map (apiVersion, kind, metadata, summary, stages)",
          "start from runbooks/longhorn-node.yaml",
        ),
      ],
    };
  }
  if (!Object.hasOwn(doc.data, "apiVersion") && !Object.hasOwn(doc.data, "kind")) {
    // Not meant as a runbook (a secret file, say): no field-by-field report that would repeat its keys.
    return {
      diagnostics: [
        doc.diagnostic(
          [],
          "",
          "not a runbook: it has neither apiVersion nor kind",
          "a runbook starts with apiVersion: recover/v1 and kind: Runbook; start from runbooks/longhorn-node.yaml",
        ),
      ],
    };
  }
  const parsed = runbookSchema.safeParse(doc.data);
  const schemaProblems = parsed.success ? [] : diagnosticsFromZod(doc, parsed.error.issues, "runbook", runbookSchema);
  const fixed = parsed.success
    ? { value: parsed.data, repaired: [] }
    : repairForRules(runbookSchema, doc.data, parsed.error.issues, runbookPlaceholder);
  if (!fixed) return { diagnostics: schemaProblems };
  const spec = fixed.value;
  const { report, reportIn, diagnostics: found } = collector(doc);
  const ctx = { doc, spec, findRunbook: options.findRunbook ?? (() => undefined) };
  for (const rule of RULES) rule(ctx, report, reportIn);
  const ruleProblems = found.filter((d) => !underRepaired(d.path, fixed.repaired));
  if (schemaProblems.length + ruleProblems.length > 0) return { diagnostics: [...schemaProblems, ...ruleProblems] };
  return { runbook: { file, spec, doc }, diagnostics: [] };
}

/** Stand-ins for required runbook fields whose value is wrong, so the rules still see the rest. */
function runbookPlaceholder(path: readonly PropertyKey[]): unknown {
  const [first, , second, , third] = path;
  if (path.length === 1 && first === "apiVersion") return API_VERSION;
  if (path.length === 1 && first === "kind") return "Runbook";
  if (path.length === 1 && first === "summary") return "(invalid)";
  if (path.length === 1 && first === "metadata") return { name: "invalid" };
  if (path.length === 2 && first === "metadata" && path[1] === "name") return "invalid";
  // An id that is wrong stays unique, so it does not cause "duplicate id" noise.
  if (first === "stages" && path.length === 3 && second === "id") return `invalid-stage-${String(path[1])}`;
  if (first === "stages" && path.length === 5 && second === "steps" && third === "id")
    return `invalid-step-${String(path[1])}-${String(path[3])}`;
  return undefined;
}

/** Reads and validates a runbook file; throws ValidationError listing every problem. */
export function loadRunbookFile(file: string, options: LoadOptions = {}): LoadedRunbook {
  const text = readText(file, "runbook");
  const { runbook, diagnostics } = checkRunbookText(file, text, options);
  if (!runbook) throw new ValidationError(diagnostics);
  return runbook;
}
