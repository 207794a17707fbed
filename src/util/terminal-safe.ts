// Control characters a terminal acts on: C0 (but tab), DEL, C1, and the Unicode bidi overrides
// that reorder what is shown ("Trojan Source"). `\r\u001b[2K` would otherwise erase a line of the
// preview and show a harmless command over the real one.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Record<string, string> = { "\0": "\\0", "\b": "\\b", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r", "\u001b": "\\e" };

/**
 * Text that shows on a terminal exactly as the characters it holds: every control character is
 * written as a visible escape (`\r`, `\e`, `\x7f`, `\u{202e}`). Newlines are escaped too unless
 * `keepNewlines` (for text that is meant to span lines: a script, a file's content). For every
 * text output that holds input: the dry-run, error messages, the live view.
 */
export function terminalSafe(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? UNSAFE_BUT_NEWLINE : UNSAFE, escapeOne);
}

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.codePointAt(0) as number;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
}
