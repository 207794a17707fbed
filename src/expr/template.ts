/** A piece of a `${{ … }}` template: literal text or an expression with its offset in the string. */
export type TemplatePart = { text: string } | { expression: string; offset: number };

const OPEN = "${{";
const CLOSE = "}}";

/** Splits a string into literal text and `${{ expr }}` parts; returns an error for an unclosed `${{`. */
export function parseTemplate(source: string): { parts: TemplatePart[]; error?: { message: string; offset: number } } {
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf(OPEN, at);
    if (open < 0) {
      parts.push({ text: source.slice(at) });
      break;
    }
    if (open > at) parts.push({ text: source.slice(at, open) });
    const close = source.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) return { parts, error: { message: "`${{` is never closed with `}}`", offset: open } };
    const raw = source.slice(open + OPEN.length, close);
    const expression = raw.trim();
    if (!expression) return { parts, error: { message: "empty `${{ }}` expression", offset: open } };
    parts.push({ expression, offset: open + OPEN.length + raw.indexOf(expression) });
    at = close + CLOSE.length;
  }
  return { parts };
}

export function hasTemplate(source: string): boolean {
  return source.includes(OPEN);
}

/** The text an interpolated value becomes: strings as they are, lists and maps as JSON. */
export function stringify(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}
