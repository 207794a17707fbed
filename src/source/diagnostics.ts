import { shortPath } from "../util/paths.js";
import { terminalSafe } from "../util/terminal-safe.js";
/** Where in a source file something is: 1-based line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One problem found while loading or validating, with what to do about it. */
export interface Diagnostic {
  /** Dotted path inside the document, e.g. `stages[1].steps[0].needs`. */
  path: string;
  message: string;
  hint?: string;
  position: SourcePosition;
  /** The offending source line, for display. */
  sourceLine?: string;
}

/**
 * `file:line:column: message`, the offending line with a caret, then the hint; files shown
 * relative to `base` when below it. Control characters from the input are shown escaped.
 */
export function formatDiagnostic(d: Diagnostic, base?: string): string {
  const { line, column } = d.position;
  const file = terminalSafe(shortPath(d.position.file, base));
  const where = d.path ? `${terminalSafe(d.path)}: ` : "";
  const out = [`${file}:${line}:${column}: error: ${where}${terminalSafe(d.message)}`];
  if (d.sourceLine !== undefined) {
    const gutter = String(line).padStart(5);
    out.push(`${gutter} | ${terminalSafe(d.sourceLine)}`);
    // The caret stays under its character when escapes before it widen the line.
    const before = terminalSafe(d.sourceLine.slice(0, Math.max(0, column - 1))).length;
    out.push(`${" ".repeat(5)} | ${" ".repeat(before)}^`);
  }
  if (d.hint) out.push(`  hint: ${terminalSafe(d.hint)}`);
  return out.join("\n");
}

export function formatDiagnostics(ds: Diagnostic[], base?: string): string {
  const sorted = [...ds].sort(
    (a, b) => a.position.file.localeCompare(b.position.file) || a.position.line - b.position.line || a.position.column - b.position.column,
  );
  return sorted.map((d) => formatDiagnostic(d, base)).join("\n\n");
}

/** `stages[1].steps[0].id` from `["stages", 1, "steps", 0, "id"]`. */
export function pathToString(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(String(seg))) out += out ? `.${String(seg)}` : String(seg);
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}
