import { parseAllDocuments } from "yaml";
import { appliedFromCheckout } from "../../plan/checkout-files.js";
import type { Plan, PlannedAction, PlannedStep } from "../../plan/types.js";
import { error, type LocalFinding } from "./finding.js";

/** The checkout's files, by path relative to it. */
export interface CheckoutFiles {
  /** A file's text, or undefined when there is no such file. */
  read(file: string): string | undefined;
  /** A file or folder is there. */
  exists(path: string): boolean;
}

type Edit = Extract<PlannedAction, { kind: "edit" }>;

/**
 * Walks the plan in order over the checkout's files: every file an `edit` changes exists by then
 * (in the checkout, or written by an earlier step) and holds the `document` it selects; every path
 * a step applies from the checkout (`kubectl apply -f`) exists by then. Found now, not after the
 * disks were wiped.
 */
export function checkCheckoutFiles(plan: Plan, files: CheckoutFiles, show: (path: string) => string = (p) => p): LocalFinding[] {
  const findings: LocalFinding[] = [];
  // What earlier steps leave: a file's new text, or null once a step deleted it.
  const written = new Map<string, string | null>();
  const text = (file: string) => (written.has(file) ? (written.get(file) ?? undefined) : files.read(file));
  // Missing files, each with the steps that need it ("node-config edits it"), reported once per file.
  const missing = new Map<string, { uses: string[]; at: string; deletedBy?: string }>();
  const deletedBy = new Map<string, string>();
  const need = (file: string, step: PlannedStep, verb: string) => {
    const by = deletedBy.get(file);
    const entry = missing.get(file) ?? { uses: [], at: where(step, show), ...(by ? { deletedBy: by } : {}) };
    entry.uses.push(`${step.id} ${verb} it`);
    missing.set(file, entry);
  };
  const applied = new Map<PlannedStep, ReturnType<typeof appliedFromCheckout>>();
  for (const a of appliedFromCheckout(plan)) applied.set(a.step, [...(applied.get(a.step) ?? []), a]);
  for (const step of plan.stages.flatMap((s) => s.steps)) {
    if (step.skip) continue;
    for (const a of applied.get(step) ?? [])
      if (!(written.has(a.file) ? written.get(a.file) !== null : files.exists(a.file))) need(a.file, step, "applies");
    // A file named by a run-time value is known only then.
    if (step.action.kind !== "edit" || step.action.file.includes("${{")) continue;
    const edit: Edit = step.action;
    if (edit.remove || edit.content !== undefined) {
      written.set(edit.file, edit.remove ? null : (edit.content as string));
      if (edit.remove) deletedBy.set(edit.file, step.id);
      continue;
    }
    const current = text(edit.file);
    if (current === undefined) {
      need(edit.file, step, "edits");
      continue;
    }
    const problem = documentProblem(current, edit.document);
    if (problem)
      findings.push(
        error(
          "edit",
          `step ${step.id} edits ${edit.file}: ${problem}`,
          `correct the file or the step's document selector (${where(step, show)})`,
        ),
      );
  }
  for (const [file, { uses, at, deletedBy: by }] of missing)
    findings.push(
      error(
        "files",
        `${file} ${by ? `is deleted by step ${by} before` : "does not exist in the GitOps checkout, and no earlier step writes it"}: ${uses.join(", ")}`,
        `add it to the GitOps repository, or correct where the inventory or the runbook names it (${at})`,
      ),
    );
  return findings;
}

/** Whether the YAML text parses and holds the document an edit selects (by kind and metadata.name). */
function documentProblem(text: string, selector: Edit["document"]): string | undefined {
  const docs = parseAllDocuments(text);
  const docList = Array.isArray(docs) ? docs : [];
  const broken = docList.find((d) => d.errors.length > 0)?.errors[0];
  if (broken) return `it is not valid YAML: ${broken.message.split("\n")[0]}`;
  if (!selector || (selector.kind === undefined && selector.name === undefined))
    return docList.length === 0 ? "it holds no YAML document" : undefined;
  const present = docList.map((d) => ({ kind: d.get("kind"), name: d.getIn(["metadata", "name"]) }));
  const match = present.filter(
    (p) => (selector.kind === undefined || p.kind === selector.kind) && (selector.name === undefined || p.name === selector.name),
  );
  if (match.length === 1) return undefined;
  const wanted = [selector.kind && `kind ${selector.kind}`, selector.name && `name ${selector.name}`].filter(Boolean).join(" and ");
  if (match.length > 1) return `${match.length} documents have ${wanted}; the selector must pick one`;
  const holds = present.map((p) => `${String(p.kind ?? "?")} ${String(p.name ?? "?")}`).join("; ");
  return `no document with ${wanted} (it holds: ${holds || "no document"})`;
}

const where = (step: PlannedStep, show: (path: string) => string): string =>
  `${show(step.origin.file)}:${step.origin.line}:${step.origin.column}`;
