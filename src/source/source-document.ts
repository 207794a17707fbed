import { Composer, type CST, type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, Parser, YAMLParseError } from "yaml";
import type { Diagnostic, SourcePosition } from "./diagnostics.js";
import { MAX_YAML_DEPTH, tooDeepAt } from "./yaml-depth.js";
import { describeYamlError } from "./yaml-errors.js";
import { valueProblems } from "./yaml-values.js";

/** A parsed YAML document that can say where any value in it came from. */
export class SourceDocument {
  private constructor(
    readonly file: string,
    readonly text: string,
    readonly data: unknown,
    private readonly root: Node | null,
    private readonly lines: LineCounter,
  ) {
    this.echo = RECOVER_FILE.test(text);
  }

  private readonly echo: boolean;

  /** Parses YAML; syntax errors come back as diagnostics, never thrown. */
  static parse(file: string, text: string): { doc?: SourceDocument; diagnostics: Diagnostic[] } {
    const lines = new LineCounter();
    const bare = new SourceDocument(file, text, undefined, null, lines);
    const nul = text.indexOf("\0");
    if (nul >= 0) {
      lineStarts(text, lines);
      return { diagnostics: [bare.diagnosticAt(nul, "", "a NUL character in the file", "save it as text: a NUL cuts a script short")] };
    }
    const cst = [...new Parser(lines.addNewLine).parse(text)];
    const deep = tooDeepAt(cst);
    if (deep !== undefined) {
      const message = `YAML nested more than ${MAX_YAML_DEPTH} levels deep`;
      return { diagnostics: [bare.diagnosticAt(deep, "", message, "no runbook or inventory needs this depth: flatten it")] };
    }
    const parsed = firstDocument(cst, text);
    if (parsed.errors.length > 0) {
      const seen = new Set<number>();
      const diagnostics: Diagnostic[] = [];
      for (const error of parsed.errors) {
        const problem = describeYamlError(error, text);
        const d = bare.diagnosticAt(problem.offset, "", problem.message, problem.hint);
        // One problem per line: the yaml library often reports one mistake several ways.
        if (!seen.has(d.position.line)) diagnostics.push(d);
        seen.add(d.position.line);
      }
      return { diagnostics };
    }
    const refused = valueProblems(parsed, text);
    if (refused.length > 0) return { diagnostics: refused.map((p) => bare.diagnosticAt(p.offset, "", p.message, p.hint)) };
    let data: unknown;
    try {
      data = parsed.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }) as unknown;
    } catch (error) {
      const at = Math.max(0, text.indexOf("*"));
      const message = `YAML aliases expand too much (${(error as Error).message.split(";")[0]})`;
      return {
        diagnostics: [bare.diagnosticAt(at, "", message, `use at most ${MAX_ALIAS_EXPANSIONS} alias expansions; write the values out`)],
      };
    }
    return { doc: new SourceDocument(file, text, data, parsed.contents as Node | null, lines), diagnostics: [] };
  }

  /** Position of the value at `path`, or of the key `path` ends with when `atKey`; nearest existing ancestor otherwise. */
  positionOf(path: readonly PropertyKey[], atKey = false): SourcePosition {
    return this.position(this.offsetOf(path, atKey));
  }

  diagnostic(path: readonly PropertyKey[], pathText: string, message: string, hint?: string, atKey = false): Diagnostic {
    return this.diagnosticAt(this.offsetOf(path, atKey), pathText, message, hint);
  }

  /** Like diagnostic(), but points inside the string value at `needle`, `inner` characters in. */
  diagnosticInValue(
    path: readonly PropertyKey[],
    pathText: string,
    needle: string,
    inner: number,
    message: string,
    hint?: string,
  ): Diagnostic {
    return this.diagnosticAt(this.offsetInValue(path, needle, inner), pathText, message, hint);
  }

  /**
   * Source offset of character `inner` of the string value at `path`. The value is found verbatim
   * when it is written plain or quoted without escapes; otherwise (folded blocks, escapes) the
   * few characters from `inner` on are looked up from the value's start.
   */
  private offsetInValue(path: readonly PropertyKey[], value: string, inner: number): number {
    const start = this.offsetOf(path, false);
    const nearby = (at: number) => at >= 0 && at - start < 8192;
    const whole = value ? this.text.indexOf(value, start) : -1;
    if (nearby(whole)) return whole + inner;
    const inBlock = this.offsetInLiteralBlock(start, value, inner);
    if (inBlock !== undefined) return inBlock;
    const snippet = value.slice(inner).split("\n")[0]?.slice(0, 24).trim() ?? "";
    const piece = snippet ? this.text.indexOf(snippet, start) : -1;
    return nearby(piece) ? piece : start;
  }

  /**
   * Offset of character `inner` of a literal block (`|`) starting at `start`: value line k is
   * source line k after the header, indented by the block's indentation. Undefined when the
   * source there does not show the value's text (another style, or a blank-line subtlety).
   */
  private offsetInLiteralBlock(start: number, value: string, inner: number): number | undefined {
    if (this.text[start] !== "|") return undefined;
    const before = value.slice(0, inner).split("\n");
    const k = before.length - 1;
    const column = (before.at(-1) ?? "").length;
    const lines = this.text.slice(this.text.indexOf("\n", start) + 1).split("\n");
    const indent = /^ */.exec(lines.find((l) => l.trim() !== "") ?? "")?.[0].length ?? 0;
    const lineStart = this.text.indexOf("\n", start) + 1 + lines.slice(0, k).reduce((n, l) => n + l.length + 1, 0);
    const offset = lineStart + indent + column;
    const expected = (value.split("\n")[k] ?? "").slice(column, column + 16);
    return this.text.startsWith(expected, offset) ? offset : undefined;
  }

  private diagnosticAt(offset: number, path: string, message: string, hint?: string): Diagnostic {
    const position = this.position(offset);
    // A line of a file that is no runbook or inventory (a secret, say) is never shown.
    const sourceLine = this.echo ? this.text.split(/\r?\n/)[position.line - 1] : undefined;
    return { path, message, position, ...(hint ? { hint } : {}), ...(sourceLine !== undefined ? { sourceLine } : {}) };
  }

  private position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  private offsetOf(path: readonly PropertyKey[], atKey: boolean): number {
    let node: unknown = this.root;
    let offset = rangeStart(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return offset;
        if (last && atKey) return rangeStart(pair.key) ?? offset;
        node = pair.value;
        offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
      } else if (isSeq(node) && typeof seg === "number") {
        node = node.items[seg];
        if (node === undefined) return offset;
        offset = rangeStart(node) ?? offset;
      } else {
        return offset;
      }
    }
    return offset;
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

const MAX_ALIAS_EXPANSIONS = 100;

/** Text that means to be a runbook or inventory: it has a top-level `apiVersion:` or `kind:`. */
const RECOVER_FILE = /^(apiVersion|kind)[ \t]*:/m;

/** The first document of the parsed CST, with an error when a second one follows (as parseDocument does). */
function firstDocument(cst: CST.Token[], text: string): Document.Parsed {
  const composer = new Composer({ uniqueKeys: true, prettyErrors: false });
  let first: Document.Parsed | undefined;
  for (const doc of composer.compose(cst, true, text.length)) {
    if (!first) {
      first = doc;
      continue;
    }
    first.errors.push(new YAMLParseError([doc.range[0], doc.range[1]], "MULTIPLE_DOCS", "Source contains multiple documents"));
    break;
  }
  return first as Document.Parsed;
}

/** Fills a LineCounter for text the parser has not seen (a file refused before parsing). */
function lineStarts(text: string, lines: LineCounter): void {
  lines.addNewLine(0);
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines.addNewLine(i + 1);
}
