import { shellQuote } from "../../util/shell-quote.js";
import { TransportError } from "../errors.js";
import { describeCommand, plainCommand, scriptWithContract } from "../script.js";
import type { Command } from "../types.js";
import { isMarker, RUN_MARKER } from "./kill-script.js";
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
 * `marker` is put in the command's environment as RUN_MARKER (inside sudo, which clears the
 * environment): every process it starts inherits it, even one that leaves its process group.
 */
export function remoteCommandLine(command: Command, become: BecomeMode, marker: string): string {
  if ("argv" in command && command.argv.length === 0) {
    throw new TransportError("an argv command needs at least a program name", { target: "ssh" });
  }
  if (!isMarker(marker)) throw new RangeError(`not a run marker: ${marker}`);
  // A one-command script of plain words runs as those words: no second shell (~0.7 ms a command on the host).
  const argv = "argv" in command ? command.argv : plainCommand(command.script);
  const words = argv ? argv.map(shellQuote).join(" ") : `sh -c ${shellQuote(scriptWithContract((command as { script: string }).script))}`;
  const pid = `printf '\\001recover-pgid=%s\\n' "$$" >&2; `;
  if (become === "none") {
    const builtin = argv !== undefined && SHELL_BUILTINS.has(argv[0] ?? "");
    return `${RUN_MARKER}=${marker}; export ${RUN_MARKER}; ${pid}${builtin ? "" : "exec "}${words}`;
  }
  const marked = `env ${RUN_MARKER}=${marker} ${words}`;
  // With a password, stdin carries it ahead of the command's input: see passwordThenStdin.
  return `${pid}exec ${sudoPrefix(become)}${become === "sudo-password" ? skipToCommandStdin(marked) : marked}`;
}

export { newRunMarker } from "../run-marker.js";

/** The command as an operator reads it in errors: no marker, `sudo` shown when used. */
export function displayCommand(command: Command, become: BecomeMode): string {
  return `${become === "none" ? "" : "sudo "}${describeCommand(command)}`;
}
