import { Environment } from "@marcbachmann/cel-js";
import { celComplexityProblem } from "./cel-limits.js";

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
    // Optional types give `a.?b.orValue(x)`: the documented way to default an optional inventory field.
    env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false, enableOptionalTypes: true });
    for (const [name, type] of Object.entries(scope)) {
      if (typeof type === "string") env.registerVariable(name, type);
      else env.registerVariable({ name, schema: type.schema } as never);
    }
    environments.set(key, env);
  }
  environmentsByScope.set(scope, env);
  return env;
}

/** Syntax and type check; undefined names and wrong types come back as a problem. `bool` also demands a condition. */
export function checkExpression(expression: string, scope: Scope, want?: "bool"): ExprProblem | undefined {
  const tooComplex = celComplexityProblem(expression);
  if (tooComplex) return tooComplex;
  try {
    const result = environmentFor(scope).check(expression) as {
      valid: boolean;
      type?: unknown;
      error?: { message: string; node?: { pos?: number } };
    };
    if (result.valid) {
      const type = String(result.type);
      if (want === "bool" && type !== "bool" && type !== "dyn")
        return { message: `must be a condition (bool), but gives ${type}`, offset: 0 };
      return undefined;
    }
    return problemOf(result.error);
  } catch (error) {
    return problemOf(error as { message: string; node?: { pos?: number } });
  }
}

/** Names of the top-level variables an expression reads. */
export function referencedVariables(expression: string, scope: Scope): Set<string> {
  const names = new Set<string>();
  walk(astOf(expression, scope), names);
  return names;
}

/**
 * Which params an expression reads: `params.x` and `params["x"]` by name; any other use of
 * `params` (e.g. `params[k]`, or `params` whole) reads them all, shown as "*".
 */
export function referencedParams(expression: string, scope: Scope): Set<string> {
  const read = new Set<string>();
  walkParams(astOf(expression, scope), read);
  return read;
}

/** A member chain an expression reads, e.g. `disk.serial` or `inventory.nodes[params.node].disks`, as written. */
export interface ReferencedPath {
  /** The chain's text, sliced from the expression. */
  text: string;
  /** Its top-level variable (`disk`, `inventory`, `params`). */
  root: string;
}

const MACROS = new Set(["all", "exists", "exists_one", "map", "filter"]);

/**
 * The longest member chains (`a.b[c].d`, `a.?b`) an expression reads, each once, in source order;
 * a chain inside an index (`params.node` in `nodes[params.node]`) counts on its own. Variables a
 * macro binds (`v` in `items.exists(v, v.ok)`) are not top-level and are left out.
 */
export function referencedPaths(expression: string, scope: Scope): ReferencedPath[] {
  const found = new Map<string, ReferencedPath>();
  const visit = (node: unknown, bound: ReadonlySet<string>): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, bound);
      return;
    }
    if (!node || typeof node !== "object") return;
    const { op, args, start, end } = node as AstNode & { start?: number; end?: number };
    const root = chainRoot(node as AstNode);
    if (root !== undefined) {
      if (!bound.has(root) && start !== undefined && end !== undefined) {
        const text = expression.slice(start, end);
        if (!found.has(text)) found.set(text, { text, root });
      }
      visitIndexes(node as AstNode, (index) => visit(index, bound));
      return;
    }
    if (op === "rcall" && Array.isArray(args) && MACROS.has(args[0] as string)) {
      const [, target, rest] = args as [string, unknown, unknown[]];
      const variable = (rest?.[0] as AstNode | undefined)?.op === "id" ? ((rest[0] as AstNode).args as string) : undefined;
      visit(target, bound);
      visit(rest?.slice(variable === undefined ? 0 : 1), variable === undefined ? bound : new Set([...bound, variable]));
      return;
    }
    visit(args, bound);
  };
  visit(astOf(expression, scope), new Set());
  return [...found.values()];
}

/** The variable a member chain starts from, or undefined when the node is not a chain. */
function chainRoot(node: AstNode): string | undefined {
  if (node.op === "id" && typeof node.args === "string") return node.args;
  if ((node.op === "." || node.op === ".?" || node.op === "[]") && Array.isArray(node.args)) return chainRoot(node.args[0] as AstNode);
  return undefined;
}

function visitIndexes(node: AstNode, visit: (index: unknown) => void): void {
  if (!Array.isArray(node.args)) return;
  if (node.op === "[]") visit(node.args[1]);
  visitIndexes(node.args[0] as AstNode, visit);
}

const asts = new WeakMap<Environment, Map<string, unknown>>();

/** The parsed expression (cached: planning asks about the same expression once per foreach item), or undefined for one checkExpression refuses. */
function astOf(expression: string, scope: Scope): unknown {
  const env = environmentFor(scope);
  let cache = asts.get(env);
  if (!cache) {
    cache = new Map();
    asts.set(env, cache);
  }
  if (cache.has(expression)) return cache.get(expression);
  let ast: unknown;
  try {
    ast = celComplexityProblem(expression) ? undefined : (env.parse(expression) as unknown as { ast: unknown }).ast;
  } catch {
    ast = undefined;
  }
  cache.set(expression, ast);
  return ast;
}

type AstNode = { op?: string; args?: unknown };

/** Visits every node of a CEL AST (with a stack, not recursion); `visit` returns true when it has handled a node's children itself. */
function visitAst(root: unknown, visit: (node: AstNode) => boolean): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) pending.push(node[i]);
      continue;
    }
    if (!node || typeof node !== "object") continue;
    if (!visit(node as AstNode)) pending.push((node as AstNode).args);
  }
}

function walkParams(root: unknown, read: Set<string>): void {
  visitAst(root, ({ op, args }) => {
    if (op === "id" && args === "params") {
      read.add("*");
      return true;
    }
    if ((op !== "." && op !== "[]") || !Array.isArray(args)) return false;
    const [target, field] = args as [AstNode | undefined, unknown];
    if (target?.op !== "id" || target.args !== "params") return false;
    const literal = (field as AstNode | undefined)?.op === "value" ? (field as AstNode).args : undefined;
    const name = typeof field === "string" ? field : literal;
    read.add(typeof name === "string" ? name : "*");
    if (typeof field === "object") walkParams(field, read);
    return true;
  });
}

function walk(root: unknown, names: Set<string>): void {
  visitAst(root, ({ op, args }) => {
    if (op !== "id" || typeof args !== "string") return false;
    names.add(args);
    return true;
  });
}

/** Evaluates with plain JS values; integers become CEL ints and come back as numbers. */
export function evaluate(expression: string, scope: Scope, context: Record<string, unknown>): unknown {
  return evaluateCel(expression, scope, celContext(context));
}

/** Variables converted for CEL once, so that evaluating many expressions over a large inventory stays linear. */
export function celContext(context: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(context)) out[name] = toCel(value);
  return out;
}

/** Evaluates over variables already converted with celContext/toCel. */
export function evaluateCel(expression: string, scope: Scope, converted: Record<string, unknown>): unknown {
  const tooComplex = celComplexityProblem(expression);
  if (tooComplex) throw new Error(tooComplex.message);
  try {
    return fromCel(environmentFor(scope).evaluate(expression, converted));
  } catch (error) {
    if (error instanceof RangeError) throw new Error("the expression nests too deeply to evaluate");
    throw error;
  }
}

function problemOf(error: { message: string; node?: { pos?: number } } | undefined): ExprProblem {
  const message = (error?.message ?? "invalid expression").split("\n")[0]?.trim() ?? "invalid expression";
  const offset = error?.node?.pos;
  return offset === undefined ? { message } : { message, offset };
}

/**
 * A plain value as CEL sees it: integers as int (bigint), maps as Map. A Map, not an object, so
 * that user keys such as `constructor` or `toString` are keys like any other.
 */
export function toCel(value: unknown): unknown {
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(toCel);
  if (isPlainObject(value)) return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

/** A CEL result as plain values; an int that no JS number holds exactly is an error, never a rounded number. */
export function fromCel(value: unknown): unknown {
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
      throw new Error(`the integer ${value} is outside the range held exactly (±${Number.MAX_SAFE_INTEGER})`);
    return Number(value);
  }
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
