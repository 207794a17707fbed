import { readFileSync } from "node:fs";
import { InputError } from "../../errors.js";
import type { PlanInputs } from "../../plan/inputs.js";
import type { Plan } from "../../plan/types.js";

export type SavedPlan = Plan & { inputs: PlanInputs };

/** A plan file written by `recover plan --out`; anything else is refused with what to do. */
export function readSavedPlan(file: string): SavedPlan {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(
      `cannot read the plan ${file}: ${(error as Error).message}`,
      "save a plan with recover plan RUNBOOK ARGS --out FILE",
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `${file} is not a saved plan: ${(error as Error).message}`,
      "save a plan with recover plan RUNBOOK ARGS --out FILE",
    );
  }
  const plan = data as Partial<SavedPlan> | null;
  if (plan?.apiVersion !== "recover/v1" || plan.kind !== "Plan" || !Array.isArray(plan.stages))
    throw new InputError(
      `${file} is not a saved plan (apiVersion recover/v1, kind Plan)`,
      "save a plan with recover plan RUNBOOK ARGS --out FILE",
    );
  const inputs = plan.inputs;
  if (!inputs || typeof inputs.plan !== "string" || !Array.isArray(inputs.runbooks))
    throw new InputError(
      `${file} holds a plan without the digests of its inputs, so it cannot be checked before it runs`,
      "save it with recover plan RUNBOOK ARGS --out FILE (made by this version of recover)",
    );
  return plan as SavedPlan;
}

/** A saved plan whose inputs changed since: it is not what was reviewed (exit 2). */
export class PlanChangedError extends InputError {
  constructor(file: string, plan: Plan, changes: string[]) {
    const params = Object.entries(plan.params)
      .map(([k, v]) => ` -p ${k}=${Array.isArray(v) ? v.join(",") : String(v)}`)
      .join("");
    const gitops = plan.gitops ? ` --gitops ${plan.gitops.dir}` : "";
    super(
      `${file} no longer matches what it was made from, so it is not the plan that was reviewed; nothing was run:\n${changes.map((c) => `  ${c}`).join("\n")}`,
      `make and review a new plan: recover plan ${plan.runbook.name}${params}${gitops} --out ${file}`,
    );
  }
}
