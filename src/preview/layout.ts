/**
 * One logical line of the preview: a lead (tree and label) and text that wraps under it. Wrapped
 * lines repeat the lead's tree and indent past its label, so a long command stays in its column
 * under its step instead of running across the tree.
 */
export interface Row {
  lead: string;
  text: string;
  /** Colours a printed piece of `text` (the lead is never coloured, so widths stay exact). */
  paint?: (piece: string, index: number) => string;
}

export interface LayoutOptions {
  /** Terminal columns; no printed line is wider, except a word longer than the room left (never below MIN_ROOM). */
  width: number;
  /** Every row on one line, however long (`--wide`). */
  wide?: boolean;
}

/** Wrapped text never gets less room than this, whatever the lead and the width. */
const MIN_ROOM = 24;
/** Continuation lines start this much further in than the text they continue. */
const HANG = 2;
/** …but never further left than this (past the tree's bar). */
const MIN_HANG = 7;

export function layoutRows(rows: readonly Row[], options: LayoutOptions): string[] {
  const out: string[] = [];
  for (const row of rows) {
    const paint = row.paint ?? ((s: string) => s);
    if (options.wide) {
      out.push(`${row.lead}${paint(row.text, 0)}`.trimEnd());
      continue;
    }
    const hang = hangFor(row, options.width);
    const first = Math.max(MIN_ROOM, options.width - width(row.lead));
    const rest = Math.max(MIN_ROOM, options.width - width(hang));
    const pieces = wrap(row.text, first, rest);
    for (const [i, piece] of pieces.entries()) out.push(`${i === 0 ? row.lead : hang}${paint(piece, i)}`.trimEnd());
  }
  return out;
}

/**
 * The lead of a row's wrapped lines: past the lead's label by HANG, or less far in when the row's
 * longest word (a by-id device path) would otherwise be cut; never left of MIN_HANG.
 */
function hangFor(row: Row, columns: number): string {
  const full = `${continuation(row.lead)}${" ".repeat(HANG)}`;
  const longest = Math.max(0, ...(row.text.match(/\S+/g) ?? []).map(width));
  const fits = Math.max(MIN_HANG, columns - longest);
  return fits >= width(full) ? full : Array.from(full).slice(0, fits).join("");
}

/** The lead of a wrapped line: the tree's bars kept (a branch `├` goes on as a bar), everything else turned into spaces. */
function continuation(lead: string): string {
  return Array.from(lead, (ch) => (ch === "│" || ch === "├" ? "│" : " ")).join("");
}

/** Terminal columns a plain string takes (one per code point: the preview's own symbols are all narrow). */
export function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Splits text at spaces into pieces of at most `first` (then `rest`) columns; a longer word is cut. */
export function wrap(text: string, first: number, rest: number): string[] {
  if (width(text) <= first) return [text];
  const pieces: string[] = [];
  let line = "";
  let gap = "";
  const room = () => (pieces.length === 0 ? first : rest);
  for (const token of text.match(/\s+|\S+/g) ?? []) {
    if (/^\s/.test(token)) {
      gap = line === "" ? "" : token;
      continue;
    }
    if (width(line) + width(gap) + width(token) <= room()) {
      line += gap + token;
      gap = "";
      continue;
    }
    if (line !== "") pieces.push(line);
    gap = "";
    let word = Array.from(token);
    for (let r = room(); word.length > r; r = room()) {
      const cut = breakAt(word, r);
      pieces.push(word.slice(0, cut).join(""));
      word = word.slice(cut);
    }
    line = word.join("");
  }
  if (line !== "") pieces.push(line);
  return pieces;
}

/** Where to cut a word too long for its line: after the last `,` `/` `;` `&` `|` that leaves the line at least half full, else at the edge. */
function breakAt(chars: string[], room: number): number {
  for (let i = room; i > room / 2; i--) if (",/;&|".includes(chars[i - 1] as string)) return i;
  return room;
}
