/** Splits one ssh_config line the way readconf.c does (strdelim() for the keyword, argv_split() for the rest). */

/** One meaningful line: the keyword lowercased, its arguments unquoted, and the raw text after the keyword. */
export interface ConfigLine {
  keyword: string;
  args: string[];
  /** Everything after the keyword and its `=` separator, unsplit (ProxyCommand takes it verbatim). */
  rest: string;
}

/** Thrown for a line that cannot be split (an unclosed quote); the reader adds file:line. */
export class ConfigSyntaxError extends Error {}

const WHITESPACE = " \t\r\n";

/** Returns undefined for blank lines and comments. */
export function lexConfigLine(raw: string): ConfigLine | undefined {
  const line = raw.replace(/[ \t\r\n\f]+$/, "");
  let pos = 0;
  while (pos < line.length && WHITESPACE.includes(line.charAt(pos))) pos++;
  const start = pos;
  while (pos < line.length && !`${WHITESPACE}"=`.includes(line.charAt(pos))) pos++;
  const keyword = line.slice(start, pos);
  if (keyword === "" || keyword.startsWith("#")) return undefined;
  // After the keyword: whitespace, at most one "=", whitespace.
  while (pos < line.length && WHITESPACE.includes(line.charAt(pos))) pos++;
  if (line.charAt(pos) === "=") {
    pos++;
    while (pos < line.length && WHITESPACE.includes(line.charAt(pos))) pos++;
  }
  const rest = line.slice(pos);
  return { keyword: keyword.toLowerCase(), args: splitArgs(rest), rest };
}

/** argv_split(s, terminate_on_comment=1): whitespace-separated words, "double" or 'single' quotes, backslash escapes. */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === " " || ch === "\t") {
      i++;
      continue;
    }
    if (ch === "#") break;
    let arg = "";
    let quote = "";
    for (; i < text.length; i++) {
      const c = text.charAt(i);
      const next = text.charAt(i + 1);
      if (c === "\\") {
        if (next === "'" || next === '"' || next === "\\" || (quote === "" && next === " ")) i++;
        arg += text.charAt(i);
      } else if (quote === "" && (c === " " || c === "\t")) {
        break;
      } else if (quote === "" && (c === '"' || c === "'")) {
        quote = c;
      } else if (quote !== "" && c === quote) {
        quote = "";
      } else {
        arg += c;
      }
    }
    if (quote !== "") throw new ConfigSyntaxError(`unterminated ${quote} quote`);
    args.push(arg);
  }
  return args;
}
