import { REDACTED } from "../../engine/redact.js";
import { InputError } from "../../errors.js";
import { loadInventoryFile } from "../../inventory/load.js";
import type { Plan } from "../../plan/types.js";
import { bindParams } from "../../runbook/params.js";
import { loadRunbookSet } from "../../runbook/registry.js";
import type { PreparedRun } from "./prepare.js";
import type { SavedPlan } from "./saved-plan.js";

/**
 * What the engine needs to run a verified saved plan: the plan exactly as saved (without its
 * digests), the params with their secret values (a plan never holds them: they come from
 * RECOVER_PARAM_<NAME>, as for resume), the inventory and the checkout. The invocation lets
 * `recover resume` plan it again, as it does for any run.
 */
export function savedRun(saved: SavedPlan): { prepared: PreparedRun; invocation: Record<string, unknown> } {
  const { inputs, ...plan } = saved;
  const repoDir = plan.gitops?.dir;
  const { runbook, runbooks } = loadRunbookSet(inputs.runbooks[0]?.file ?? plan.runbook.file, repoDir);
  const shown = Object.entries(plan.params).filter(([, v]) => v !== REDACTED);
  const named = Object.fromEntries(shown.map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
  for (const [name, spec] of Object.entries(runbook.spec.params ?? {})) {
    if (spec.secret && !(name in named) && process.env[envName(name)] === undefined)
      throw new InputError(`param ${name} is secret, so the saved plan does not hold it`, `set ${envName(name)} and apply again`);
  }
  const params = bindParams(runbook.spec, { positional: [], named }, process.env);
  const inventory = inputs.inventory ? loadInventoryFile(inputs.inventory.file) : undefined;
  const secrets = Object.entries(runbook.spec.params ?? {})
    .filter(([name, p]) => p.secret && params[name] !== undefined)
    .flatMap(([name]) => [params[name]].flat().map(String));
  const prepared: PreparedRun = {
    plan: plan as Plan,
    params,
    secrets,
    runbook,
    runbooks,
    ...(inventory ? { inventory } : {}),
    ...(repoDir ? { repoDir } : {}),
  };
  const invocation = {
    runbook: plan.runbook.file,
    args: [],
    param: Object.entries(named).flatMap(([k, v]) => [v].flat().map((item) => `${k}=${item}`)),
    ...(plan.inventory ? { inventory: plan.inventory } : {}),
    ...(repoDir ? { gitops: repoDir } : {}),
  };
  return { prepared, invocation };
}

const envName = (param: string): string => `RECOVER_PARAM_${param.toUpperCase()}`;
