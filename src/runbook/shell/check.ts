import { type ScriptProblem, templatePlacementProblems } from "./placement.js";
import { VerdictCache } from "./verdict-cache.js";

/** Set by scripts/bundle.js to a hash of the bundle; absent when recover runs from its modules (tests, benchmarks). */
declare const __RECOVER_BUILD__: string | undefined;

let cache: VerdictCache | undefined;

/** templatePlacementProblems, with clean scripts remembered between runs of the same build (see VerdictCache). */
export function scriptProblems(script: string): ScriptProblem[] {
  if (!script.includes("${{")) return [];
  cache ??= VerdictCache.forBuild(typeof __RECOVER_BUILD__ === "string" ? __RECOVER_BUILD__ : undefined, process.env);
  if (cache.isClean(script)) return [];
  const problems = templatePlacementProblems(script);
  if (problems.length === 0) cache.rememberClean(script);
  return problems;
}
