/**
 * OpenSSH's pattern matching (match.c), shared by ssh_config and known_hosts:
 * `*` and `?` wildcards, comma-separated lists and `!` negation.
 */

const compiled = new Map<string, RegExp>();

/** True when `text` matches the glob `pattern` (`*` any run, `?` one character), case-sensitive like match_pattern(). */
export function matchPattern(text: string, pattern: string): boolean {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    const body = Array.from(pattern, (ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&"))).join("");
    regex = new RegExp(`^${body}$`, "su");
    compiled.set(pattern, regex);
  }
  return regex.test(text);
}

/**
 * match_pattern_list(): `patterns` is comma-separated; a matching `!pattern` wins over everything.
 * Returns 1 (a positive pattern matched), 0 (none matched) or -1 (a negated pattern matched).
 */
export function matchPatternList(text: string, patterns: string, lowercasePatterns: boolean): 1 | 0 | -1 {
  let positive = false;
  for (let sub of patterns.split(",")) {
    const negated = sub.startsWith("!");
    if (negated) sub = sub.slice(1);
    if (lowercasePatterns) sub = sub.toLowerCase();
    if (matchPattern(text, sub)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

/** match_hostname(): the host is lowercased, and so are the patterns. */
export function matchHostname(host: string, patterns: string): 1 | 0 | -1 {
  return matchPatternList(host.toLowerCase(), patterns, true);
}
