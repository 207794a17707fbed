/**
 * A script with each `${{ … }}` replaced by a placeholder word the shell parser reads as plain
 * letters, so the parse shows where each template sits; offsets map back to the original.
 */
export interface Substituted {
  text: string;
  /** Finds the placeholders in a piece of parsed text: template index and where in `piece` it starts. */
  find(piece: string): { index: number; at: number }[];
  /** Original offset of the `${{` of each template. */
  templates: number[];
  /** Original offset of an offset in `text`. */
  original(offset: number): number;
  /** A parser message with its placeholders shown as the templates they stand for. */
  unsubstitute(message: string): string;
}

interface Segment {
  from: number; // offset in text
  to: number;
  orig: number; // offset in the original
  template: boolean;
}

/** Undefined when a `${{` is never closed (the expressions rule reports that). */
export function substituteTemplates(script: string): Substituted | undefined {
  let n = 0;
  while (script.includes(`__rcv${n}_`)) n++;
  const prefix = `__rcv${n}_`;
  const templates: number[] = [];
  const segments: Segment[] = [];
  let text = "";
  let at = 0;
  const push = (piece: string, orig: number, template: boolean) => {
    segments.push({ from: text.length, to: text.length + piece.length, orig, template });
    text += piece;
  };
  for (;;) {
    const open = script.indexOf("${{", at);
    if (open < 0) break;
    const close = script.indexOf("}}", open + 3);
    if (close < 0) return undefined;
    if (open > at) push(script.slice(at, open), at, false);
    push(`${prefix}${templates.length}__`, open, true);
    templates.push(open);
    at = close + 2;
  }
  if (at < script.length) push(script.slice(at), at, false);
  const pattern = new RegExp(`${prefix}(\\d+)__`, "g");
  return {
    text,
    templates,
    unsubstitute: (message) => message.replace(pattern, "${{ … }}"),
    find: (piece) => [...piece.matchAll(pattern)].map((m) => ({ index: Number(m[1]), at: m.index })),
    original: (offset) => {
      const seg = segments.find((s) => offset >= s.from && offset < s.to) ?? segments.at(-1);
      if (!seg) return 0;
      return seg.template ? seg.orig : seg.orig + Math.min(offset, seg.to) - seg.from;
    },
  };
}
