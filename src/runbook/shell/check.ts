import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { type ScriptProblem, templatePlacementProblems } from "./placement.js";
import { VerdictCache } from "./verdict-cache.js";

let cache: VerdictCache | undefined;

/** The code a verdict depends on: this check's own files and the parser's version. */
function checkingCode(): URL[] {
  const here = (name: string) => new URL(`./${name}`, import.meta.url);
  const parser = pathToFileURL(createRequire(import.meta.url).resolve("mvdan-sh/package.json"));
  return [here("placement.js"), here("commands.js"), here("substitute.js"), here("parser.js"), parser];
}

/** templatePlacementProblems, with clean scripts remembered between runs (see VerdictCache). */
export function scriptProblems(script: string): ScriptProblem[] {
  if (!script.includes("${{")) return [];
  cache ??= VerdictCache.forCode(checkingCode());
  if (cache.isClean(script)) return [];
  const problems = templatePlacementProblems(script);
  if (problems.length === 0) cache.rememberClean(script);
  return problems;
}
