import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { Diagnostic, SourcePosition } from "./diagnostics.js";

/** A parsed YAML document that can say where any value in it came from. */
export class SourceDocument {
  private constructor(
    readonly file: string,
    readonly text: string,
    readonly data: unknown,
    private readonly root: Node | null,
    private readonly lines: LineCounter,
  ) {}

  /** Parses YAML; syntax errors come back as diagnostics, never thrown. */
  static parse(file: string, text: string): { doc?: SourceDocument; diagnostics: Diagnostic[] } {
    const lines = new LineCounter();
    const parsed = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const bare = new SourceDocument(file, text, undefined, null, lines);
    const problems = [...parsed.errors, ...parsed.warnings.filter((w) => w.code !== "TAG_RESOLVE_FAILED")];
    if (parsed.errors.length > 0) {
      return {
        diagnostics: problems.map((e) =>
          bare.diagnosticAt(e.pos[0], "", yamlMessage(e.message), "fix the YAML syntax; indentation uses spaces only"),
        ),
      };
    }
    const data = parsed.toJS({ maxAliasCount: 100 }) as unknown;
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
    const start = this.offsetOf(path, false);
    const found = needle ? this.text.indexOf(needle, start) : -1;
    const offset = found >= 0 && found - start < 4096 ? found + inner : start;
    return this.diagnosticAt(offset, pathText, message, hint);
  }

  private diagnosticAt(offset: number, path: string, message: string, hint?: string): Diagnostic {
    const position = this.position(offset);
    const sourceLine = this.text.split(/\r?\n/)[position.line - 1];
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

function yamlMessage(message: string): string {
  // The yaml package appends " at line N, column M:" plus a snippet; we print our own.
  return message.replace(/ at line \d+, column \d+:[\s\S]*$/, "").trim();
}
