import { BadCommandError, type TransportErrorContext } from "../errors.js";
import type { Command } from "../types.js";

/**
 * Refuses a command holding a NUL byte, before anything is sent: the remote command line is a C
 * string on the host, so sshd drops the whole connection over it, and with it every other step's
 * command running on that connection.
 */
export function refuseNul(command: Command, context: TransportErrorContext): void {
  const where = nulPosition(command);
  if (where === undefined) return;
  const step = context.step ? `, step ${context.step}` : "";
  throw new BadCommandError(
    `host ${context.target}${step}: the command holds a NUL byte (${where}), which no remote command line can carry; nothing was sent. Remove it from the runbook (pass binary data on stdin instead).`,
    context,
  );
}

function nulPosition(command: Command): string | undefined {
  if ("argv" in command) {
    const index = command.argv.findIndex((word) => word.includes("\0"));
    return index === -1 ? undefined : `in argv word ${index + 1}`;
  }
  const at = command.script.indexOf("\0");
  return at === -1 ? undefined : `in the script, line ${command.script.slice(0, at).split("\n").length}`;
}
