import { evaluate, type Scope } from "../expr/cel.js";
import { parseTemplate, stringify } from "../expr/template.js";
import type { PlannedAction } from "../plan/types.js";
import { shellQuote } from "../util/shell-quote.js";

/** What expressions deferred to run time read: the same variables as planning, with values known now. */
export interface RunContext {
  params: Record<string, unknown>;
  inventory: unknown;
  repo: { dir: string };
  captures: Record<string, unknown>;
  /** A foreach item's variable. */
  vars?: Record<string, unknown>;
  result?: unknown;
}

const scopes = new Map<string, Scope>();

/** Every variable as dyn: the types were checked when the runbook was validated. */
function scopeOf(names: string[]): Scope {
  const key = names.join(",");
  let scope = scopes.get(key);
  if (!scope) {
    scope = Object.fromEntries(names.map((n) => [n, "dyn"]));
    scopes.set(key, scope);
  }
  return scope;
}

function variables(context: RunContext): Record<string, unknown> {
  const { params, inventory, repo, captures, vars, result } = context;
  return { params, inventory, repo, captures, ...vars, ...(result !== undefined ? { result } : {}) };
}

/** Evaluates one CEL expression against the run's values. */
export function evaluateAt(expression: string, context: RunContext): unknown {
  const values = variables(context);
  return evaluate(expression, scopeOf(Object.keys(values)), values);
}

/** A condition (`when`, `expect`): must give true or false. */
export function conditionAt(expression: string, context: RunContext): boolean {
  const value = evaluateAt(expression, context);
  if (typeof value !== "boolean") throw new Error(`${expression} gave ${JSON.stringify(value)}, not true or false`);
  return value;
}

/**
 * Resolves the `${{ }}` parts planning left for run time, in one pass: a value is never parsed
 * again, so a capture cannot smuggle in an expression. `quote` shell-quotes each value (sh scripts).
 */
export function resolveText(text: string, context: RunContext, quote = false): string {
  if (!text.includes("${{")) return text;
  let out = "";
  for (const part of parseTemplate(text).parts) {
    if ("text" in part) out += part.text;
    else {
      const value = stringify(evaluateAt(part.expression, context));
      out += quote ? shellQuote(value) : value;
    }
  }
  return out;
}

/** A value that is exactly one `${{ expr }}` keeps its type (YAML edits); others become text. */
function resolveTyped(value: unknown, context: RunContext): unknown {
  if (typeof value === "string") {
    const { parts } = parseTemplate(value);
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only && "expression" in only) return evaluateAt(only.expression, context);
    return resolveText(value, context);
  }
  if (Array.isArray(value)) return value.map((v) => resolveTyped(v, context));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [resolveText(k, context), resolveTyped(v, context)]));
  return value;
}

/** An action with every run-time value filled in. */
export function resolveAction(action: PlannedAction, context: RunContext): PlannedAction {
  switch (action.kind) {
    case "sh":
      return { kind: "sh", script: resolveText(action.script, context, true) };
    case "kubectl":
    case "local":
      return { kind: action.kind, argv: action.argv.map((a) => resolveText(a, context)) };
    case "prompt":
      return { kind: "prompt", message: resolveText(action.message, context) };
    case "edit":
      return resolveTyped(action, context) as PlannedAction;
    case "wait":
      return action;
  }
}
