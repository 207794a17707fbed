/**
 * Field selectors as the real API server parses them (k8s.io/apimachinery fields package), with
 * its error messages, returned as 400 BadRequest.
 */

import { badRequest } from "../status.js";
import type { KubeObject } from "../types.js";

/** Splits on commas that are not escaped with a backslash. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let current = "";
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i] as string;
    if (ch === "\\" && i + 1 < selector.length) {
      current += ch + selector[i + 1];
      i++;
    } else if (ch === ",") {
      terms.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms;
}

/** The first operator (`!=`, `==`, `=`) of a term. */
function splitTerm(term: string): [string, "=" | "!=", string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ["!=", "==", "="] as const)
      if (term.startsWith(op, i)) return [term.slice(0, i), op === "!=" ? "!=" : "=", term.slice(i + op.length)];
  }
  return undefined;
}

function unescapeValue(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === "\\") {
      const next = value[i + 1];
      if (next === undefined) throw badRequest("invalid field selector: invalid escape sequence: \\");
      if (next !== "\\" && next !== "," && next !== "=") throw badRequest(`invalid field selector: invalid escape sequence: \\${next}`);
      out += next;
      i++;
    } else if (ch === "," || ch === "=") {
      throw badRequest(`invalid field selector: unescaped character in value: ${ch}`);
    } else {
      out += ch;
    }
  }
  return out;
}

/** Boolean fields the real server always reports, false when unset. */
const BOOLEAN_FIELDS = new Set(["spec.unschedulable", "spec.hostNetwork"]);

/** The value of a dotted field of an object, as the field selector compares it (absent is ""). */
function fieldValue(object: KubeObject, field: string): string {
  let node: unknown = object;
  for (const part of field.split(".")) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return "";
    node = (node as Record<string, unknown>)[part];
  }
  if (node === undefined || node === null) return BOOLEAN_FIELDS.has(field) ? "false" : "";
  return typeof node === "object" ? JSON.stringify(node) : String(node);
}

/**
 * Parses a field selector (`f=v`, `f==v`, `f!=v`, comma = AND; `\,` `\=` `\\` escape) over the
 * supported fields: metadata.name, metadata.namespace and `extra` (such as spec.nodeName). Any
 * other field is 400 BadRequest, worded as the real server words it for a built-in type
 * (`field label not supported: <field>`) or, with `custom`, for a custom resource.
 */
export function parseFieldSelector(selector: string, extra: string[], options: { custom?: boolean } = {}): (object: KubeObject) => boolean {
  const supported = new Set(["metadata.name", "metadata.namespace", ...extra]);
  const terms = splitTerms(selector)
    .filter((part) => part !== "")
    .sort()
    .map((part) => {
      const split = splitTerm(part);
      if (!split) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
      const [field, op, raw] = split;
      return { field, op, value: unescapeValue(raw) };
    });
  // Parsed whole first, then each field checked against the type (the server converts after parsing).
  for (const { field } of terms)
    if (!supported.has(field))
      throw badRequest(
        options.custom
          ? `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
          : `field label not supported: ${field}`,
      );
  return (object) => terms.every(({ field, op, value }) => (fieldValue(object, field) === value) === (op === "="));
}
