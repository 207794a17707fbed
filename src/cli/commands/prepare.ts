import { existsSync, type Stats, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../../errors.js";
import type { LoadedInventory } from "../../inventory/load.js";
import { plan } from "../../plan/plan.js";
import type { Plan } from "../../plan/types.js";
import type { LoadedRunbook } from "../../runbook/load.js";
import { bindParams, type ParamValues } from "../../runbook/params.js";
import { cachedInventory } from "../cache/inventory.js";
import { cachedRunbookSet } from "../cache/runbook-set.js";
import { userCache } from "../cache/user-cache.js";
import { checkEditPaths } from "./edit-paths.js";

export interface PlanOptions {
  param: string[];
  inventory?: string;
  gitops?: string;
}

/** The GitOps checkout: --gitops, else $RECOVER_GITOPS, else the current directory when it holds recover/. */
export function gitopsDir(option?: string): string | undefined {
  if (option) return checkedDir(option, "GitOps directory");
  if (process.env.RECOVER_GITOPS) return checkedDir(process.env.RECOVER_GITOPS, "GitOps directory $RECOVER_GITOPS =");
  return existsSync("recover") ? "." : undefined;
}

/** A directory that exists and is one; anything else says what it is instead. */
function checkedDir(dir: string, what: string): string {
  const hint = "pass the path of your GitOps repository checkout";
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new InputError(`${what} ${dir} is a symlink loop (the link leads back to itself)`, hint);
    if (code === "ENOENT" || code === "ENOTDIR") throw new InputError(`${what} ${dir} does not exist`, hint);
    throw new InputError(`${what} ${dir} cannot be read: ${(error as Error).message}`, hint);
  }
  if (!stats.isDirectory()) throw new InputError(`${what} ${dir} is not a directory`, hint);
  return dir;
}

/** Loads, binds and plans: every input problem surfaces here, before anything could run. */
export function preparePlan(runbookArg: string, args: string[], opts: PlanOptions): Plan {
  return prepareRun(runbookArg, args, opts).plan;
}

/** A plan and what running it needs beyond it: the params with their secret values, the inventory, the checkout, and the runbooks it was made from (used ones by name). */
export interface PreparedRun {
  plan: Plan;
  params: ParamValues;
  secrets: string[];
  inventory?: LoadedInventory;
  repoDir?: string;
  runbook: LoadedRunbook;
  runbooks: ReadonlyMap<string, LoadedRunbook>;
}

export function prepareRun(runbookArg: string, args: string[], opts: PlanOptions): PreparedRun {
  const gitops = gitopsDir(opts.gitops);
  const { runbook, runbooks } = cachedRunbookSet(runbookArg, gitops, userCache());
  const params = bindParams(runbook.spec, { positional: args, named: namedParams(opts.param ?? []) }, process.env);
  const inventoryFile = opts.inventory ?? defaultInventory(gitops);
  const inventory = inventoryFile ? cachedInventory(inventoryFile, userCache()) : undefined;
  // The checkout: --gitops (or its defaults), else where the inventory says it lives.
  const repoDir = gitops ? resolve(gitops) : inventory ? resolve(dirname(inventory.file), inventory.inventory.gitops.path) : undefined;
  const planned = plan({ runbook, params, runbooks, ...(inventory ? { inventory } : {}), ...(repoDir ? { repoDir } : {}) });
  checkEditPaths(planned, repoDir ?? ".");
  const secrets = Object.entries(runbook.spec.params ?? {})
    .filter(([name, p]) => p.secret && params[name] !== undefined)
    .flatMap(([name]) => [params[name]].flat().map(String));
  return { plan: planned, params, secrets, runbook, runbooks, ...(inventory ? { inventory } : {}), ...(repoDir ? { repoDir } : {}) };
}

function defaultInventory(gitops: string | undefined): string | undefined {
  if (!gitops) return undefined;
  const file = join(gitops, "recover", "inventory.yaml");
  return existsSync(file) ? file : undefined;
}

export function namedParams(pairs: string[]): Record<string, string | string[]> {
  const named: Record<string, string | string[]> = Object.create(null);
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new InputError(`--param ${JSON.stringify(pair)} is not name=value`, "write --param node=k3s1");
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const prior = named[name];
    named[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  return named;
}
