const NAMED: Record<string, string> = { "\0": "\\0", "\b": "\\b", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r", "\u001b": "\\e" };

/**
 * Control characters a terminal acts on: C0 but tab, DEL, C1, line and paragraph separators, and
 * the Unicode bidi controls that reorder what is shown ("Trojan Source"). `\r\e[2K` would
 * otherwise erase a line of the preview and show a harmless command over the real one.
 */
function unsafe(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09) ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * Text that shows on a terminal exactly as the characters it holds: every control character is
 * written as a visible escape (`\r`, `\e`, `\x7f`, `\u{202e}`). Newlines are escaped too unless
 * `keepNewlines` (for text that is meant to span lines: a script, a file's content). For every
 * text output that holds input: the dry-run, error messages, the live view.
 */
export function terminalSafe(text: string, keepNewlines = false): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!unsafe(code) || (keepNewlines && code === 0x0a)) continue;
    out += text.slice(from, i) + escapeOne(text[i] as string);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
}
