import { shellQuote } from "../../util/shell-quote.js";
import { TransportError } from "../errors.js";
import { describeCommand, scriptWithContract } from "../script.js";
import type { Command } from "../types.js";
import { skipToCommandStdin } from "./sudo-stdin.js";

/** How a command gets root: not at all, `sudo -n`, or sudo reading a password from stdin. */
export type BecomeMode = "none" | "sudo" | "sudo-password";

/**
 * The first line the remote shell writes on stderr: its pid, which is also its process group
 * (sshd starts every session in a new session), so a timeout can end the whole group.
 */
export const PGID_MARKER = "\u0001recover-pgid=";

/**
 * POSIX utilities every sh has built in with the same meaning. They run in the login shell
 * itself instead of being exec'd: that saves an execve (~0.5 ms, a quarter of a command's cost
 * on an open connection) on the most common guard probes, `test -e …` and `[ … ]`.
 */
const SHELL_BUILTINS = new Set(["test", "[", "true", "false"]);

/** The sudo prefix for a mode; `-k` makes sudo ignore cached credentials, so it reads the password whenever sudoers wants one. */
export function sudoPrefix(mode: BecomeMode): string {
  if (mode === "sudo") return "sudo -n -- ";
  if (mode === "sudo-password") return "sudo -k -S -p '' -- ";
  return "";
}

/**
 * The command line the remote login shell runs (like `ssh host '<line>'`): argv words each
 * shell-quoted, a script as `sh -c '<set -eu + script>'`, after the pid marker and an `exec`.
 */
export function remoteCommandLine(command: Command, become: BecomeMode): string {
  if ("argv" in command && command.argv.length === 0) {
    throw new TransportError("an argv command needs at least a program name", { target: "ssh" });
  }
  const words = "argv" in command ? command.argv.map(shellQuote).join(" ") : `sh -c ${shellQuote(scriptWithContract(command.script))}`;
  // With a password, stdin carries it ahead of the command's input: see passwordThenStdin.
  const inner = become === "sudo-password" ? skipToCommandStdin(words) : words;
  const builtin = become === "none" && "argv" in command && SHELL_BUILTINS.has(command.argv[0] ?? "");
  return `printf '\\001recover-pgid=%s\\n' "$$" >&2; ${builtin ? "" : "exec "}${sudoPrefix(become)}${inner}`;
}

/** The command as an operator reads it in errors: no marker, `sudo` shown when used. */
export function displayCommand(command: Command, become: BecomeMode): string {
  return `${become === "none" ? "" : "sudo "}${describeCommand(command)}`;
}

/**
 * Ends a remote process group: TERM (sudo passes it on), up to ~1 s for its leader to go, then
 * KILL for whatever is left. It waits on the leader, not the group: orphaned children that died
 * stay zombies in the group where nothing reaps them (containers), and would look alive.
 * Runs as its own command on a fresh channel, through sudo when the command ran through sudo.
 */
export function killGroupLine(pgid: number, become: BecomeMode): string {
  const group = `-- -${pgid}`;
  const script = [
    `kill -s TERM ${group} 2>/dev/null || exit 0`,
    `i=0; while kill -s 0 ${pgid} 2>/dev/null && [ "$i" -lt 20 ]; do sleep 0.05; i=$((i+1)); done`,
    `kill -s KILL ${group} 2>/dev/null; exit 0`,
  ].join("\n");
  return `${sudoPrefix(become)}sh -c ${shellQuote(script)}`;
}
