/**
 * Parses the Kubernetes JSONPath dialect used by CRD printer columns
 * (`.status.conditions[?(@.type=="Ready")].status`, `.metadata.labels['a.b/c']`, `.items[0]`).
 */

/** A literal on the right of a filter comparison. */
export type FilterLiteral = string | number | boolean | null;

/** One step of a path. */
export type PathSegment =
  | { kind: "field"; names: string[] }
  | { kind: "recursive"; name: string }
  | { kind: "wildcard" }
  | { kind: "index"; index: number }
  | { kind: "slice"; start?: number; end?: number; step?: number }
  | { kind: "filter"; left: PathSegment[]; op?: FilterOperator; right?: { path: PathSegment[] } | { literal: FilterLiteral } };

export type FilterOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

/** A path the dialect cannot parse; `position` is the offset in the path text. */
export class JsonPathSyntaxError extends Error {
  constructor(
    readonly path: string,
    readonly position: number,
    reason: string,
  ) {
    super(`invalid JSONPath ${JSON.stringify(path)} at ${position}: ${reason}`);
    this.name = "JsonPathSyntaxError";
  }
}

const NAME_CHAR = /[A-Za-z0-9_\-/$]/;
const OPERATORS: FilterOperator[] = ["==", "!=", "<=", ">=", "<", ">"];

/** Parses a printer-column path; a surrounding `{…}` and a leading `$` are accepted. */
export function parsePrinterPath(path: string): PathSegment[] {
  let text = path.trim();
  if (text.startsWith("{") && text.endsWith("}")) text = text.slice(1, -1).trim();
  const parser = new Parser(path, text);
  if (parser.peek() === "$") parser.pos++;
  const segments = parser.segments(() => parser.done());
  if (segments.length === 0) throw new JsonPathSyntaxError(path, 0, "empty path");
  return segments;
}

class Parser {
  pos = 0;
  constructor(
    readonly original: string,
    readonly text: string,
  ) {}

  peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  done(): boolean {
    return this.pos >= this.text.length;
  }

  fail(reason: string): never {
    throw new JsonPathSyntaxError(this.original, this.pos, reason);
  }

  /** Reads segments until `stop()` holds at a segment boundary. */
  segments(stop: () => boolean): PathSegment[] {
    const out: PathSegment[] = [];
    while (!stop()) {
      const c = this.peek();
      if (c === ".") {
        const segment = this.dotted();
        if (segment) out.push(segment);
      } else if (c === "[") out.push(this.bracket());
      else this.fail(`unexpected ${JSON.stringify(c)}`);
    }
    return out;
  }

  /** A dot before a field, `*` or `..name`; a bare dot (".", ".[0]") selects nothing new. */
  private dotted(): PathSegment | undefined {
    this.pos++;
    if (this.peek() === ".") {
      this.pos++;
      return { kind: "recursive", name: this.name() };
    }
    if (this.peek() === "*") {
      this.pos++;
      return { kind: "wildcard" };
    }
    if (this.peek() === "[" || this.done()) return undefined;
    return { kind: "field", names: [this.name()] };
  }

  private name(): string {
    let out = "";
    for (let c = this.peek(); c !== undefined; c = this.peek()) {
      if (c === "\\" && this.peek(1) !== undefined) {
        out += this.peek(1);
        this.pos += 2;
      } else if (NAME_CHAR.test(c)) {
        out += c;
        this.pos++;
      } else break;
    }
    if (out === "") this.fail("expected a field name");
    return out;
  }

  private bracket(): PathSegment {
    this.pos++;
    this.skipSpaces();
    let segment: PathSegment;
    const c = this.peek();
    if (c === "*") {
      this.pos++;
      segment = { kind: "wildcard" };
    } else if (c === "'" || c === '"') {
      const names = [this.quoted()];
      for (this.skipSpaces(); this.peek() === ","; this.skipSpaces()) {
        this.pos++;
        this.skipSpaces();
        names.push(this.quoted());
      }
      segment = { kind: "field", names };
    } else if (c === "?") {
      segment = this.filter();
    } else {
      segment = this.indexOrSlice();
    }
    this.skipSpaces();
    if (this.peek() !== "]") this.fail("expected ]");
    this.pos++;
    return segment;
  }

  private quoted(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail("expected a quoted name");
    this.pos++;
    let out = "";
    for (let c = this.peek(); c !== quote; c = this.peek()) {
      if (c === undefined) this.fail("unterminated string");
      if (c === "\\" && this.peek(1) !== undefined) {
        out += this.peek(1);
        this.pos += 2;
      } else {
        out += c;
        this.pos++;
      }
    }
    this.pos++;
    return out;
  }

  private indexOrSlice(): PathSegment {
    const parts: (number | undefined)[] = [this.integer()];
    while (this.peek() === ":") {
      this.pos++;
      parts.push(this.integer());
    }
    if (parts.length === 1) {
      if (parts[0] === undefined) this.fail("expected an index");
      return { kind: "index", index: parts[0] };
    }
    if (parts.length > 3) this.fail("a slice has at most three parts");
    return { kind: "slice", start: parts[0], end: parts[1], step: parts[2] };
  }

  private integer(): number | undefined {
    this.skipSpaces();
    const m = /^-?\d+/.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    this.skipSpaces();
    return Number(m[0]);
  }

  private filter(): PathSegment {
    this.pos++;
    if (this.peek() !== "(") this.fail("expected ( after ?");
    this.pos++;
    this.skipSpaces();
    const left = this.operandPath();
    this.skipSpaces();
    const op = OPERATORS.find((o) => this.text.startsWith(o, this.pos));
    let right: { path: PathSegment[] } | { literal: FilterLiteral } | undefined;
    if (op) {
      this.pos += op.length;
      this.skipSpaces();
      right = this.peek() === "@" ? { path: this.operandPath() } : { literal: this.literal() };
      this.skipSpaces();
    }
    if (this.peek() !== ")") this.fail("expected ) closing the filter");
    this.pos++;
    return op && right ? { kind: "filter", left, op, right } : { kind: "filter", left };
  }

  private operandPath(): PathSegment[] {
    if (this.peek() !== "@") this.fail("a filter compares @ paths");
    this.pos++;
    return this.segments(() => {
      const c = this.peek();
      return c !== "." && c !== "[";
    });
  }

  private literal(): FilterLiteral {
    const c = this.peek();
    if (c === "'" || c === '"') return this.quoted();
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos));
    if (!m) this.fail("expected a string, number or boolean");
    this.pos += m[0].length;
    return JSON.parse(m[0]) as FilterLiteral;
  }

  private skipSpaces(): void {
    while (this.peek() === " ") this.pos++;
  }
}
