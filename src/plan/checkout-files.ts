import { isAbsolute, relative } from "node:path";
import { hasTemplate } from "../expr/template.js";
import type { Plan, PlannedStep } from "./types.js";

/** A file of the GitOps checkout that a step reads: through `kubectl apply -f`/`-k`, relative to the checkout. */
export interface AppliedPath {
  step: PlannedStep;
  /** As the command names it. */
  path: string;
  /** Relative to the checkout. */
  file: string;
  flag: "-f" | "-k";
}

const FILE_FLAGS: Record<string, AppliedPath["flag"]> = { "-f": "-f", "--filename": "-f", "-k": "-k", "--kustomize": "-k" };

/** Every path under the checkout that a kubectl step (not skipped) reads with -f or -k, in plan order. */
export function appliedFromCheckout(plan: Plan): AppliedPath[] {
  const dir = plan.gitops?.dir;
  if (!dir) return [];
  const out: AppliedPath[] = [];
  for (const step of plan.stages.flatMap((s) => s.steps)) {
    if (step.skip || step.action.kind !== "kubectl") continue;
    const { argv } = step.action;
    for (const [i, arg] of argv.entries()) {
      const inline = /^(-[fk]|--filename|--kustomize)=(.*)$/.exec(arg);
      const flag = FILE_FLAGS[inline?.[1] ?? arg];
      const path = inline ? inline[2] : argv[i + 1];
      if (!flag || path === undefined || hasTemplate(path) || !isAbsolute(path)) continue;
      const file = relative(dir, path);
      if (file.startsWith("..") || isAbsolute(file)) continue;
      out.push({ step, path, file: file || ".", flag });
    }
  }
  return out;
}

/** The checkout files the plan's edit steps (not skipped) touch, each once, in plan order. */
export function editedFiles(plan: Plan): string[] {
  const files = plan.stages.flatMap((s) => s.steps.flatMap((st) => (st.action.kind === "edit" && !st.skip ? [st.action.file] : [])));
  return [...new Set(files)];
}
