/** The runbook language's contract for `sh` steps: every script runs under `set -eu`. */
export const scriptWithContract = (script: string): string => `set -eu\n${script}`;

/** One line naming a command for errors and logs; scripts show their first line. */
export function describeCommand(command: { argv: string[] } | { script: string }): string {
  if ("argv" in command) return command.argv.join(" ");
  const lines = command.script.trim().split("\n");
  return lines.length > 1 ? `${lines[0]} … (${lines.length} lines)` : (lines[0] ?? "");
}

/** Words that keep their meaning in every POSIX shell: no quoting, expansion, globbing or operators. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+,./:=-]+$/;
/** Reserved words, and bash/zsh keywords, that would make a first word mean something else. */
const RESERVED = new Set([
  "!",
  "{",
  "}",
  "case",
  "do",
  "done",
  "elif",
  "else",
  "esac",
  "fi",
  "for",
  "function",
  "if",
  "in",
  "select",
  "then",
  "time",
  "until",
  "while",
  "[[",
  "]]",
  "coproc",
]);

/** Builtins with no program of that name: run as words they are exec'd, which cannot work. */
const SHELL_ONLY = new Set([
  ".",
  ":",
  "alias",
  "bg",
  "break",
  "builtin",
  "cd",
  "command",
  "continue",
  "declare",
  "dirs",
  "disown",
  "enable",
  "eval",
  "exec",
  "exit",
  "export",
  "fc",
  "fg",
  "getopts",
  "hash",
  "jobs",
  "let",
  "local",
  "logout",
  "popd",
  "pushd",
  "read",
  "readonly",
  "return",
  "set",
  "shift",
  "shopt",
  "source",
  "suspend",
  "times",
  "trap",
  "type",
  "typeset",
  "ulimit",
  "umask",
  "unalias",
  "unset",
  "wait",
]);

/**
 * A script that is one simple command of plain words, as its argv; undefined for anything else.
 * Run as those words it does what `sh -c 'set -eu\n<script>'` does (one command: `set -eu`
 * changes nothing), without starting a second shell. The first word may not be an assignment.
 */
export function plainCommand(script: string): string[] | undefined {
  const line = script.trim();
  if (line === "" || /[\n\r]/.test(line)) return undefined;
  const words = line.split(/[ \t]+/);
  if (!words.every((w) => PLAIN_WORD.test(w))) return undefined;
  const [first = ""] = words;
  if (RESERVED.has(first) || SHELL_ONLY.has(first) || first.includes("=")) return undefined;
  return words;
}
