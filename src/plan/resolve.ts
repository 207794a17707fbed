import {
  celContext,
  evaluateCel,
  extendScope,
  type ReferencedPath,
  referencedParams,
  referencedPaths,
  referencedVariables,
  type Scope,
  toCel,
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

const OPEN = "${{";
// Stands for a deferred `${{ … }}` while the assembled text is checked: it can take part in no `${{`.
const DEFERRED = "\u0000";

/**
 * Resolves expressions and `${{ }}` templates with what is known when planning
 * (params, inventory, foreach items). Expressions that read run-time values
 * (captures, probe results) or secret params are left in place for the engine.
 */
export class Resolver {
  readonly deferred = new Set<string>();

  /** `context` holds the variables as plain values; they are converted for CEL once, here. */
  static of(scope: Scope, context: Record<string, unknown>, secretParams: ReadonlySet<string>): Resolver {
    return new Resolver(scope, celContext(context), secretParams);
  }

  private constructor(
    private readonly scope: Scope,
    private readonly converted: Record<string, unknown>,
    private readonly secretParams: ReadonlySet<string>,
    /** Where each variable's value comes from, for the preview ("inventory disk sdf1"). */
    private readonly sources: Readonly<Record<string, string>> = {},
  ) {}

  /** A resolver with the same variables and its own record of deferred expressions. */
  fork(): Resolver {
    return new Resolver(this.scope, this.converted, this.secretParams, this.sources);
  }

  /** One more variable (a foreach item): only the item is converted, so a foreach stays linear in its size. */
  with(name: string, value: unknown, source?: string): Resolver {
    const scope = extendScope(this.scope, { [name]: "dyn" });
    const sources = source === undefined ? this.sources : { ...this.sources, [name]: source };
    const converted = Object.assign(Object.create(null), this.converted, { [name]: toCel(value) });
    return new Resolver(scope, converted, this.secretParams, sources);
  }

  /** The member chains an expression (a check's `expect` too, which reads `result`) reads. */
  paths(expression: string): ReferencedPath[] {
    return referencedPaths(expression, extendScope(this.scope, RESULT_SCOPE));
  }

  /** Where a variable's value comes from, as the preview says it. */
  sourceOf(name: string): string {
    return this.sources[name] ?? (name === "params" ? "param" : name === "repo" ? "the GitOps checkout" : name);
  }

  /** The top-level variables an expression reads. */
  reads(expression: string): Set<string> {
    return referencedVariables(expression, this.scope);
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
      return evaluateCel(expression, this.scope, this.converted);
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
    let assembled = "";
    for (const part of parts) {
      if ("text" in part) {
        out += part.text;
        assembled += part.text;
        continue;
      }
      if (this.isDeferred(part.expression)) {
        this.deferred.add(part.expression);
        out += `${OPEN} ${part.expression} }}`;
        assembled += DEFERRED;
        continue;
      }
      const value = stringify(this.value(part.expression));
      checkPlanValue(value, part.expression);
      const piece = quote ? shellQuote(value) : value;
      out += piece;
      assembled += piece;
    }
    // Values side by side (`$` then `{{ params.token }}`) must not make a template either.
    if (assembled.includes(OPEN)) {
      throw new ResolveError(
        `the values put together here make "${OPEN}", which recover reserves for expressions: ${JSON.stringify(assembled.replaceAll(DEFERRED, "…"))}`,
        template,
      );
    }
    return out;
  }

  /** A string that is exactly one `${{ expr }}` keeps the expression's type (for YAML edits); other values recurse. */
  typed(value: unknown): unknown {
    if (typeof value === "string") {
      const { parts } = parseTemplate(value);
      const only = parts.length === 1 ? parts[0] : undefined;
      if (only && "expression" in only && !this.isDeferred(only.expression)) {
        const result = this.value(only.expression);
        forEachString(result, (text) => checkPlanValue(text, only.expression));
        return result;
      }
      return this.text(value);
    }
    if (Array.isArray(value)) return value.map((v) => this.typed(v));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.typed(v)]));
    return value;
  }
}

/** A value resolved when planning may not smuggle in an expression for run time, nor a NUL that would cut a command. */
function checkPlanValue(value: string, expression: string): void {
  if (value.includes(OPEN)) throw new ResolveError(`value contains "${OPEN}", which recover reserves for expressions`, expression);
  if (value.includes("\0")) throw new ResolveError("value contains a NUL character, which would cut a command or file short", expression);
}

function forEachString(value: unknown, visit: (text: string) => void): void {
  if (typeof value === "string") visit(value);
  else if (Array.isArray(value)) for (const v of value) forEachString(v, visit);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      visit(k);
      forEachString(v, visit);
    }
  }
}
