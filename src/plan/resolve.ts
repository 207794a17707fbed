import {
  evaluate,
  extendScope,
  type ReferencedPath,
  referencedParams,
  referencedPaths,
  referencedVariables,
  type Scope,
} from "../expr/cel.js";
import { parseTemplate, stringify } from "../expr/template.js";
import { RESULT_SCOPE, RUNTIME_VARIABLES } from "../runbook/scope.js";
import { readsSecret } from "../runbook/secrets.js";
import { shellQuote } from "../util/shell-quote.js";

/** A failure to resolve an expression while planning; the planner adds the source position. */
export class ResolveError extends Error {
  constructor(
    message: string,
    readonly expression: string,
  ) {
    super(message);
  }
}

/**
 * Resolves expressions and `${{ }}` templates with what is known when planning
 * (params, inventory, foreach items). Expressions that read run-time values
 * (captures, probe results) or secret params are left in place for the engine.
 */
export class Resolver {
  readonly deferred = new Set<string>();

  constructor(
    private readonly scope: Scope,
    private readonly context: Record<string, unknown>,
    private readonly secretParams: ReadonlySet<string>,
    /** Where each variable's value comes from, for the preview ("inventory disk sdf1"). */
    private readonly sources: Readonly<Record<string, string>> = {},
  ) {}

  /** A resolver with the same variables and its own record of deferred expressions. */
  fork(): Resolver {
    return new Resolver(this.scope, this.context, this.secretParams, this.sources);
  }

  with(name: string, value: unknown, source?: string): Resolver {
    const scope = extendScope(this.scope, { [name]: "dyn" });
    const sources = source === undefined ? this.sources : { ...this.sources, [name]: source };
    return new Resolver(scope, { ...this.context, [name]: value }, this.secretParams, sources);
  }

  /** The member chains an expression (a check's `expect` too, which reads `result`) reads. */
  paths(expression: string): ReferencedPath[] {
    return referencedPaths(expression, extendScope(this.scope, RESULT_SCOPE));
  }

  /** Where a variable's value comes from, as the preview says it. */
  sourceOf(name: string): string {
    return this.sources[name] ?? (name === "params" ? "param" : name === "repo" ? "the GitOps checkout" : name);
  }

  /** True when the expression must wait for run time. */
  isDeferred(expression: string): boolean {
    const names = referencedVariables(expression, this.scope);
    for (const n of names) if (RUNTIME_VARIABLES.has(n)) return true;
    if (this.secretParams.size === 0 || !names.has("params")) return false;
    return readsSecret(referencedParams(expression, this.scope), this.secretParams);
  }

  value(expression: string): unknown {
    try {
      return evaluate(expression, this.scope, this.context);
    } catch (error) {
      throw new ResolveError((error as Error).message.split("\n")[0] ?? "evaluation failed", expression);
    }
  }

  condition(expression: string): boolean | "deferred" {
    if (this.isDeferred(expression)) {
      this.deferred.add(expression);
      return "deferred";
    }
    const v = this.value(expression);
    if (typeof v !== "boolean") throw new ResolveError(`condition gave ${JSON.stringify(v)}, not true or false`, expression);
    return v;
  }

  /** Interpolates a template; `quote` shell-quotes each resolved value (for sh scripts). */
  text(template: string, quote = false): string {
    const { parts } = parseTemplate(template);
    let out = "";
    for (const part of parts) {
      if ("text" in part) {
        out += part.text;
        continue;
      }
      if (this.isDeferred(part.expression)) {
        this.deferred.add(part.expression);
        out += `\${{ ${part.expression} }}`;
        continue;
      }
      const value = stringify(this.value(part.expression));
      // A resolved value must not smuggle in a template for the engine to evaluate later.
      if (value.includes("${{")) throw new ResolveError(`value contains "\${{", which recover reserves for expressions`, part.expression);
      out += quote ? shellQuote(value) : value;
    }
    return out;
  }

  /** A string that is exactly one `${{ expr }}` keeps the expression's type (for YAML edits); other values recurse. */
  typed(value: unknown): unknown {
    if (typeof value === "string") {
      const { parts } = parseTemplate(value);
      const only = parts.length === 1 ? parts[0] : undefined;
      if (only && "expression" in only && !this.isDeferred(only.expression)) return this.value(only.expression);
      return this.text(value);
    }
    if (Array.isArray(value)) return value.map((v) => this.typed(v));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.typed(v)]));
    return value;
  }
}
