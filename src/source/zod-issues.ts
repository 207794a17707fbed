import type { z } from "zod";
import { type Diagnostic, pathToString } from "./diagnostics.js";
import type { SourceDocument } from "./source-document.js";

/** Turns schema issues into diagnostics that point at the offending key or value. */
export function diagnosticsFromZod(doc: SourceDocument, issues: z.core.$ZodIssue[], kind: string, schema: z.ZodType): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const full = [...path, key];
        out.push(
          doc.diagnostic(full, pathToString(full), `unknown field "${key}"`, unknownKeyHint(fieldsAt(schema, path), key, kind), true),
        );
      }
      continue;
    }
    const { message, hint } = describe(issue, doc, path);
    // A bad key of a map is shown at the key, not at its value.
    out.push(doc.diagnostic(path, pathToString(path), message, hint, issue.code === "invalid_key"));
  }
  return out;
}

function describe(issue: z.core.$ZodIssue, doc: SourceDocument, path: PropertyKey[]): { message: string; hint?: string } {
  const present = valueAt(doc.data, path) !== undefined;
  switch (issue.code) {
    case "invalid_type":
      if (!present) return { message: `required field is missing (${typeWord(issue.expected)})`, hint: `add "${String(path.at(-1))}"` };
      return { message: `expected ${typeWord(issue.expected)}, got ${typeName(valueAt(doc.data, path))}` };
    case "invalid_value":
      return {
        message: `must be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${JSON.stringify(valueAt(doc.data, path))}`,
      };
    case "invalid_union":
      return { message: `has the wrong shape: ${unionSummary(issue)}` };
    case "invalid_format":
      return { message: `${JSON.stringify(valueAt(doc.data, path))} ${issue.message}` };
    case "invalid_key": {
      const inner = issue.issues.find((i) => i.code === "invalid_format")?.message ?? issue.issues[0]?.message ?? "is not allowed";
      return { message: `key ${JSON.stringify(String(path.at(-1)))} ${inner}` };
    }
    case "too_small":
      return { message: issue.message.startsWith("Too small") ? `is too small (${issue.message})` : issue.message };
    default:
      return { message: issue.message };
  }
}

function unionSummary(issue: z.core.$ZodIssueInvalidUnion): string {
  const expected = issue.errors.flatMap((branch) =>
    branch.filter((i) => i.path.length === 0 && i.code === "invalid_type").map((i) => (i as { expected: string }).expected),
  );
  return expected.length > 0 ? `expected ${[...new Set(expected)].join(" or ")}` : issue.message;
}

function unknownKeyHint(known: string[], key: string, kind: string): string {
  const near = closest(key, known);
  if (near) return `did you mean "${near}"? (see docs/runbook-language.md)`;
  return known.length > 0 ? `fields here: ${known.join(", ")}` : `remove it; see the ${kind} reference in docs/runbook-language.md`;
}

/** The field names the schema allows in the map at `path`. */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const seg of [...path, undefined]) {
    node = unwrap(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return [];
    if (seg === undefined) return def.type === "object" ? Object.keys(def.shape as object) : [];
    if (def.type === "object") node = (def.shape as Record<string, unknown>)[String(seg)];
    else if (def.type === "array") node = def.element;
    else if (def.type === "record") node = def.valueType;
    else return [];
  }
  return [];
}

/** Looks through optional/default wrappers, and into the map or list branch of a union. */
function unwrap(node: unknown): unknown {
  for (;;) {
    const def = (node as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return node;
    if (def.innerType) {
      node = def.innerType;
      continue;
    }
    if (def.type === "union") {
      const kinds = ["object", "array"];
      return (def.options as { _zod: { def: { type: string } } }[]).find((o) => kinds.includes(o._zod.def.type)) ?? node;
    }
    return node;
  }
}

/** The nearest candidate a typo could have meant: same first letter, a few edits away. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    if (c[0]?.toLowerCase() !== word[0]?.toLowerCase()) continue;
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function typeWord(zodType: string): string {
  return ({ record: "a map", object: "a map", array: "a list" } as Record<string, string>)[zodType] ?? zodType;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  return `${typeof v} ${JSON.stringify(v)}`;
}

export { closest };
