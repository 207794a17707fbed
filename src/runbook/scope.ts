import type { Scope } from "../expr/cel.js";
import { paramTypes } from "./params.js";
import type { RunbookSpec, StepSpec } from "./schema.js";

/** Variables every runbook expression can read. */
export function baseScope(runbook: RunbookSpec, captures: Record<string, string>): Scope {
  return {
    params: { schema: paramTypes(runbook) },
    inventory: "dyn",
    repo: { schema: { dir: "string" } },
    captures: { schema: captures },
  };
}

/** The result of a probe, as `expect` sees it. */
export const RESULT_SCOPE: Scope = {
  result: { schema: { exitCode: "int", stdout: "string", stderr: "string", json: "dyn" } },
};

/** Variables only known at run time: an expression that reads one is left for the engine. */
export const RUNTIME_VARIABLES = new Set(["captures", "result"]);

export function foreachSpec(step: StepSpec): { in: string; as: string; key?: string; reverse: boolean; parallel: boolean } | undefined {
  if (step.foreach === undefined) return undefined;
  if (typeof step.foreach === "string") return { in: step.foreach, as: "item", reverse: false, parallel: false };
  return {
    in: step.foreach.in,
    as: step.foreach.as ?? "item",
    ...(step.foreach.key !== undefined ? { key: step.foreach.key } : {}),
    reverse: step.foreach.reverse ?? false,
    parallel: step.foreach.parallel ?? false,
  };
}

/** The CEL type a capture has for later steps. */
export function captureType(step: StepSpec): string {
  if (step.foreach !== undefined) return "list";
  return step.capture?.format === "json" ? "dyn" : "string";
}
