import { Environment } from "@marcbachmann/cel-js";

/** Declared type of each top-level variable an expression may use (CEL type names). */
export type Scope = Record<string, string | { schema: Record<string, unknown> }>;

export interface ExprProblem {
  message: string;
  /** 0-based offset inside the expression, when CEL says where. */
  offset?: number;
}

const environments = new Map<string, Environment>();
const environmentsByScope = new WeakMap<Scope, Environment>();
const extensions = new WeakMap<Scope, Map<string, Scope>>();

/** `scope` plus a few more variables; the same inputs give the same object, so environments are reused. */
export function extendScope(scope: Scope, extra: Scope): Scope {
  let byExtra = extensions.get(scope);
  if (!byExtra) {
    byExtra = new Map();
    extensions.set(scope, byExtra);
  }
  const key = JSON.stringify(extra);
  let extended = byExtra.get(key);
  if (!extended) {
    extended = { ...scope, ...extra };
    byExtra.set(key, extended);
  }
  return extended;
}

/** A CEL environment with exactly the variables in scope (cached per scope object, then per shape). */
export function environmentFor(scope: Scope): Environment {
  const known = environmentsByScope.get(scope);
  if (known) return known;
  const key = JSON.stringify(scope);
  let env = environments.get(key);
  if (!env) {
    env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false });
    for (const [name, type] of Object.entries(scope)) {
      if (typeof type === "string") env.registerVariable(name, type);
      else env.registerVariable({ name, schema: type.schema } as never);
    }
    environments.set(key, env);
  }
  environmentsByScope.set(scope, env);
  return env;
}

/** Syntax and type check; undefined names and wrong types come back as a problem. */
export function checkExpression(expression: string, scope: Scope): ExprProblem | undefined {
  try {
    const result = environmentFor(scope).check(expression) as {
      valid: boolean;
      error?: { message: string; node?: { pos?: number } };
    };
    if (result.valid) return undefined;
    return problemOf(result.error);
  } catch (error) {
    return problemOf(error as { message: string; node?: { pos?: number } });
  }
}

/** Names of the top-level variables an expression reads. */
export function referencedVariables(expression: string, scope: Scope): Set<string> {
  const names = new Set<string>();
  try {
    const parsed = environmentFor(scope).parse(expression) as unknown as { ast: unknown };
    walk(parsed.ast, names);
  } catch {
    // A syntax error is reported by checkExpression; nothing to collect.
  }
  return names;
}

function walk(node: unknown, names: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, names);
    return;
  }
  if (!node || typeof node !== "object") return;
  const { op, args } = node as { op?: string; args?: unknown };
  if (op === "id" && typeof args === "string") names.add(args);
  else walk(args, names);
}

/** Evaluates with plain JS values; integers become CEL ints and come back as numbers. */
export function evaluate(expression: string, scope: Scope, context: Record<string, unknown>): unknown {
  const env = environmentFor(scope);
  return fromCel(env.evaluate(expression, toCel(context) as Record<string, unknown>));
}

function problemOf(error: { message: string; node?: { pos?: number } } | undefined): ExprProblem {
  const message = (error?.message ?? "invalid expression").split("\n")[0]?.trim() ?? "invalid expression";
  const offset = error?.node?.pos;
  return offset === undefined ? { message } : { message, offset };
}

export function toCel(value: unknown): unknown {
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

export function fromCel(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  }
  return value;
}
