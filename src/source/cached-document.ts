import type { Diagnostic, SourcePosition } from "./diagnostics.js";
import { SourceDocument } from "./source-document.js";

/** What users of a loaded file ask of its source: where a value is, and diagnostics that point there. */
export type SourcePositions = Pick<SourceDocument, "file" | "text" | "positionOf" | "diagnostic" | "diagnosticInValue">;

/** Line and column of every map and list of a document, by JSON path (`["stages",0,"steps",2]`). */
export type PositionIndex = Record<string, [line: number, column: number]>;

/** The positions a cached load keeps, so that a later load can answer them without parsing the YAML. */
export function positionIndex(doc: SourcePositions, data: unknown): PositionIndex {
  const index: PositionIndex = {};
  const visit = (value: unknown, path: PropertyKey[]) => {
    if (!value || typeof value !== "object") return;
    const { line, column } = doc.positionOf(path);
    index[JSON.stringify(path)] = [line, column];
    const entries: [PropertyKey, unknown][] = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
    for (const [key, child] of entries) visit(child, [...path, key]);
  };
  visit(data, []);
  return index;
}

/**
 * A document known to be valid, read back from the cache: positions of maps and lists come from the index;
 * anything else (a scalar's position, a diagnostic) parses the text once, as a fresh load would.
 */
export class CachedDocument implements SourcePositions {
  private parsed: SourceDocument | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    private readonly index: PositionIndex,
  ) {}

  positionOf(path: readonly PropertyKey[], atKey = false): SourcePosition {
    const at = atKey ? undefined : this.index[JSON.stringify(path)];
    return at ? { file: this.file, line: at[0], column: at[1] } : this.source().positionOf(path, atKey);
  }

  diagnostic(...args: Parameters<SourceDocument["diagnostic"]>): Diagnostic {
    return this.source().diagnostic(...args);
  }

  diagnosticInValue(...args: Parameters<SourceDocument["diagnosticInValue"]>): Diagnostic {
    return this.source().diagnosticInValue(...args);
  }

  private source(): SourceDocument {
    if (!this.parsed) {
      const { doc } = SourceDocument.parse(this.file, this.text);
      if (!doc) throw new Error(`${this.file} was cached as valid YAML but no longer parses`);
      this.parsed = doc;
    }
    return this.parsed;
  }
}
