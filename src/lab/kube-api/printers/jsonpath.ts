/**
 * Evaluates CRD printer-column JSONPaths the way the API server's table convertor does:
 * missing keys give no result, and a column shows the first result.
 */

import { isObject } from "../patch/json-value.js";
import { type FilterLiteral, type FilterOperator, type PathSegment, parsePrinterPath } from "./jsonpath-parse.js";

export { JsonPathSyntaxError, type PathSegment, parsePrinterPath } from "./jsonpath-parse.js";

/** A comparison the real evaluator refuses (a string against a number); the column stays empty. */
class IncomparableError extends Error {}

/** Parsed printer paths: a table evaluates the same few paths for every row. */
const parsed = new Map<string, PathSegment[]>();
const PARSED_LIMIT = 512;

function segmentsOf(path: string): PathSegment[] {
  let segments = parsed.get(path);
  if (!segments) {
    segments = parsePrinterPath(path);
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(path, segments);
  }
  return segments;
}

/** Every value the path selects, in document order; an unparsable path throws JsonPathSyntaxError. */
export function findAll(object: unknown, path: string | PathSegment[]): unknown[] {
  const segments = typeof path === "string" ? segmentsOf(path) : path;
  return segments.reduce<unknown[]>((values, segment) => values.flatMap((v) => step(v, segment)), [object]);
}

/**
 * Evaluates a CRD printer-column JSONPath (`.status.conditions[?(@.type=="Ready")].status`,
 * `.spec.nodeID`, `.metadata.creationTimestamp`) against an object; returns the first value
 * or undefined (missing field, bad path, or a comparison between different types).
 */
export function evaluatePrinterPath(object: unknown, path: string): unknown {
  try {
    return findAll(object, path)[0];
  } catch {
    return undefined;
  }
}

function step(value: unknown, segment: PathSegment): unknown[] {
  switch (segment.kind) {
    case "field":
      return isObject(value) ? segment.names.filter((n) => Object.hasOwn(value, n)).map((n) => value[n]) : [];
    case "wildcard":
      return Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
    case "index": {
      if (!Array.isArray(value)) return [];
      const i = segment.index < 0 ? value.length + segment.index : segment.index;
      return i >= 0 && i < value.length ? [value[i]] : [];
    }
    case "slice":
      return Array.isArray(value) ? slice(value, segment.start, segment.end, segment.step) : [];
    case "recursive":
      return descendants(value).flatMap((v) => (isObject(v) && Object.hasOwn(v, segment.name) ? [v[segment.name]] : []));
    case "filter":
      return Array.isArray(value) ? value.filter((item) => matches(item, segment)) : [];
  }
}

function slice(values: unknown[], start?: number, end?: number, stride = 1): unknown[] {
  if (stride === 0) return [];
  const clamp = (n: number) => Math.min(Math.max(n < 0 ? values.length + n : n, 0), values.length);
  const from = clamp(start ?? 0);
  const to = clamp(end ?? values.length);
  const out: unknown[] = [];
  for (let i = from; i < to; i += Math.abs(stride)) out.push(values[i]);
  return out;
}

/** The value and everything below it, depth first. */
function descendants(value: unknown): unknown[] {
  const children = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
  return [value, ...children.flatMap(descendants)];
}

function matches(item: unknown, filter: Extract<PathSegment, { kind: "filter" }>): boolean {
  const lefts = findAll(item, filter.left);
  if (lefts.length === 0) return false;
  if (!filter.op || !filter.right) return true;
  let right: unknown;
  if ("literal" in filter.right) right = filter.right.literal;
  else {
    const rights = findAll(item, filter.right.path);
    if (rights.length === 0) return false;
    right = rights[0];
  }
  return compare(lefts[0], filter.op, right);
}

function compare(left: unknown, op: FilterOperator, right: unknown): boolean {
  if (typeof left !== typeof right || (left !== null && typeof left === "object")) {
    throw new IncomparableError(`cannot compare ${typeof left} with ${typeof right}`);
  }
  const a = left as FilterLiteral;
  const b = right as FilterLiteral;
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return (a as number | string) < (b as number | string);
    case "<=":
      return (a as number | string) <= (b as number | string);
    case ">":
      return (a as number | string) > (b as number | string);
    case ">=":
      return (a as number | string) >= (b as number | string);
  }
}
