/** The runbook language's contract for `sh` steps: every script runs under `set -eu`. */
export const scriptWithContract = (script: string): string => `set -eu\n${script}`;

/** One line naming a command for errors and logs; scripts show their first line. */
export function describeCommand(command: { argv: string[] } | { script: string }): string {
  if ("argv" in command) return command.argv.join(" ");
  const lines = command.script.trim().split("\n");
  return lines.length > 1 ? `${lines[0]} … (${lines.length} lines)` : (lines[0] ?? "");
}
