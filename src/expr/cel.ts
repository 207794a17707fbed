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

/** The parsed expression, or undefined for a syntax error (which checkExpression reports). */
function astOf(expression: string, scope: Scope): unknown {
  try {
    return (environmentFor(scope).parse(expression) as unknown as { ast: unknown }).ast;
  } catch {
    return undefined;
  }
}

type AstNode = { op?: string; args?: unknown };

/** Visits every node of a CEL AST; `visit` returns true when it has handled a node's children itself. */
function visitAst(node: unknown, visit: (node: AstNode) => boolean): void {
  if (Array.isArray(node)) {
    for (const child of node) visitAst(child, visit);
    return;
  }
  if (!node || typeof node !== "object") return;
  if (!visit(node as AstNode)) visitAst((node as AstNode).args, visit);
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
