/** Offsets into YAML source text: where lines start and end, and the file's own line ending. */

/** The offset where the line holding `pos` starts. */
export function lineStart(src: string, pos: number): number {
  return src.lastIndexOf("\n", pos - 1) + 1;
}

/** The offset just past the end of the line holding `pos - 1` (its newline included); `pos` itself when it already starts a line. */
export function afterLine(src: string, pos: number): number {
  if (pos > 0 && src[pos - 1] === "\n") return pos;
  const nl = src.indexOf("\n", pos);
  return nl === -1 ? src.length : nl + 1;
}

/** The column of `pos` (0-based). */
export function columnOf(src: string, pos: number): number {
  return pos - lineStart(src, pos);
}

/** Whether only spaces stand between the start of the line and `pos`. */
export function startsLine(src: string, pos: number): boolean {
  return src.slice(lineStart(src, pos), pos).trim() === "";
}

/** `\r\n` when the file uses it, else `\n`. */
export function eolOf(src: string): string {
  return src.includes("\r\n") ? "\r\n" : "\n";
}

/** `src` with [from, to) replaced by `text`. */
export function splice(src: string, from: number, to: number, text: string): string {
  return src.slice(0, from) + text + src.slice(to);
}
