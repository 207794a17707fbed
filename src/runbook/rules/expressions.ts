import { checkExpression, extendScope, referencedParams, referencedVariables, type Scope } from "../../expr/cel.js";
import { parseTemplate } from "../../expr/template.js";
import type { ExprReporter } from "../../source/collector.js";
import { probeOf } from "../actions.js";
import { baseScope, captureType, foreachSpec, RESULT_SCOPE } from "../scope.js";
import { readsSecret } from "../secrets.js";
import type { Rule } from "./context.js";
import { steps } from "./context.js";

// Keys whose values are CEL expressions, names or durations, never `${{ }}` templates.
const NOT_TEMPLATES = new Set([
  "id",
  "description",
  "needs",
  "on",
  "when",
  "foreach",
  "expect",
  "capture",
  "wait",
  "timeout",
  "interval",
  "retry",
  "runbook",
  "guard",
  "skipIf",
  "verify",
  "undo",
]);

/** Every CEL expression and `${{ }}` template parses, type-checks and reads only what is defined before it. */
export const expressionsRule: Rule = ({ spec }, report, reportIn) => {
  const secrets = new Set(
    Object.entries(spec.params ?? {})
      .filter(([, p]) => p.secret)
      .map(([n]) => n),
  );
  const captures: Record<string, string> = {};
  const capturedBy = new Map<string, string>();
  const check = (
    expression: string,
    scope: Scope,
    path: readonly PropertyKey[],
    value: string,
    base: number,
    what: string,
    want?: "bool",
  ) => {
    const problem = checkExpression(expression, scope, want);
    if (problem) reportIn(path, value, base + (problem.offset ?? 0), `${what}: ${problem.message}`, hintFor(problem.message, scope));
  };
  const condition = (expression: string, scope: Scope, path: readonly PropertyKey[], what: string) =>
    check(expression, scope, path, expression, 0, what, "bool");
  const templates = (value: unknown, scope: Scope, path: readonly PropertyKey[]) => {
    forEachString(value, path, (text, where) => {
      const { parts, error } = parseTemplate(text);
      if (error) reportIn(where, text, error.offset, error.message, "close it: ${{ expression }}");
      for (const part of parts) {
        if ("expression" in part) check(part.expression, scope, where, text, part.offset, "in ${{ }}");
      }
    });
  };

  const { captures: _none, ...planScope } = baseScope(spec, {});
  const noSecretsIn = (value: unknown, path: readonly PropertyKey[], why: string) => {
    if (secrets.size === 0 || value === undefined) return;
    forEachString(value, path, (text, where) => {
      for (const part of parseTemplate(text).parts) {
        if ("expression" in part && readsSecret(referencedParams(part.expression, planScope), secrets)) {
          reportIn(
            where,
            text,
            part.offset,
            `reads a secret param, and ${why}`,
            "secrets never reach a commit: keep them out of edits and checkpoint messages",
          );
        }
      }
    });
  };
  for (const [name, param] of Object.entries(spec.params ?? {})) {
    if (param.in !== undefined) check(param.in, { inventory: "dyn" }, ["params", name, "in"], param.in, 0, "in");
  }
  for (const [name, target] of Object.entries(spec.targets ?? {})) templates(target, planScope, ["targets", name]);
  for (const [s, stage] of spec.stages.entries()) {
    if (stage.title !== undefined) templates(stage.title, planScope, ["stages", s, "title"]);
    if (stage.checkpoint && stage.checkpoint.message !== undefined) {
      templates(stage.checkpoint.message, planScope, ["stages", s, "checkpoint", "message"]);
      noSecretsIn(stage.checkpoint.message, ["stages", s, "checkpoint", "message"], "a checkpoint message is a commit message");
    }
    // Stage titles end up in commit messages too.
    noSecretsIn(stage.title, ["stages", s, "title"], "a stage title is part of its commit message");
  }

  // Rebuilt only when a capture is declared, so CEL environments are shared between steps.
  let stepScope = baseScope(spec, {});
  for (const { step, path } of steps(spec)) {
    let scope = stepScope;
    const each = foreachSpec(step);
    if (each) {
      const inPath = typeof step.foreach === "string" ? [...path, "foreach"] : [...path, "foreach", "in"];
      check(each.in, scope, inPath, each.in, 0, "foreach");
      if (referencedVariables(each.in, planScope).has("captures")) {
        reportIn(inPath, each.in, 0, "foreach is resolved when planning and cannot read captures", "loop over params or inventory");
      } else if (readsSecret(referencedParams(each.in, planScope), secrets)) {
        reportIn(
          inPath,
          each.in,
          0,
          "foreach cannot loop over a secret param: its values would show in step ids and the plan",
          "loop over something that is not secret",
        );
      }
      scope = extendScope(scope, { [each.as]: "dyn" });
      if (each.key !== undefined)
        check(each.key, extendScope(planScope, { [each.as]: "dyn" }), [...path, "foreach", "key"], each.key, 0, "foreach key");
    }
    if (step.when !== undefined) condition(step.when, scope, [...path, "when"], "when");
    templates(step, scope, path);
    // Secrets never reach a commit: nothing that ends up in Git may read one.
    const toGit: [readonly PropertyKey[], unknown][] = [
      [[...path, "edit"], step.edit],
      [[...path, "undo", "edit"], step.undo?.edit],
    ];
    for (const [where, value] of toGit) noSecretsIn(value, where, "an edit is committed to Git");
    const checks = [
      ...(step.guard ?? []).map((g, i) => [[...path, "guard", i], g] as const),
      ...(step.skipIf ? [[[...path, "skipIf"], step.skipIf] as const] : []),
      ...(step.verify ? [[[...path, "verify"], step.verify] as const] : []),
    ];
    for (const [where, c] of checks) {
      templates(c, scope, where);
      // `result` exists only where a probe produced one.
      condition(c.expect, probeOf(c) ? extendScope(scope, RESULT_SCOPE) : scope, [...where, "expect"], "expect");
    }
    if (step.uses?.with) {
      forEachString(step.uses.with, [...path, "uses", "with"], (text, where) => {
        for (const part of parseTemplate(text).parts) {
          if (!("expression" in part)) continue;
          const runtime =
            referencedVariables(part.expression, scope).has("captures") || readsSecret(referencedParams(part.expression, scope), secrets);
          if (runtime)
            reportIn(
              where,
              text,
              part.offset,
              "with: values are resolved when planning and cannot read captures or secret params",
              "have the used runbook read them itself",
            );
        }
      });
    }
    if (step.undo) templates(step.undo, scope, [...path, "undo"]);
    if (step.capture) {
      if (Object.hasOwn(captures, step.capture.as)) {
        report(
          [...path, "capture", "as"],
          `capture "${step.capture.as}" is already taken by step "${capturedBy.get(step.capture.as)}"`,
          "give each capture its own name",
        );
      }
      capturedBy.set(step.capture.as, step.id);
      captures[step.capture.as] = captureType(step);
      stepScope = baseScope(spec, { ...captures });
    }
  }
};

function forEachString(value: unknown, path: readonly PropertyKey[], visit: (text: string, path: readonly PropertyKey[]) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) forEachString(v, [...path, i], visit);
  } else if (value && typeof value === "object") {
    const isSet = path.at(-1) === "set";
    for (const [k, v] of Object.entries(value)) {
      if (isSet) visit(k, [...path, k]); // keys of edit.set are templates too
      if (!NOT_TEMPLATES.has(k) || isSet) forEachString(v, [...path, k], visit);
    }
  }
}

function hintFor(message: string, scope: Scope): string | undefined {
  const key = /No such key: (\S+)/.exec(message);
  if (key)
    return `defined: params.* (${Object.keys((scope.params as { schema: object }).schema).join(", ") || "none"}), captures.* (${Object.keys((scope.captures as { schema?: object } | undefined)?.schema ?? {}).join(", ") || "none so far"}), inventory.*`;
  if (/Unknown variable/.test(message)) return `expressions can read: ${Object.keys(scope).join(", ")}`;
  return undefined;
}

export type { ExprReporter };
