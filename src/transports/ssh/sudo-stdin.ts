import { shellQuote } from "../../util/shell-quote.js";

/**
 * Ends the sudo password on the channel's stdin; everything after it is the command's own stdin.
 * A control character no password typed at a prompt contains.
 */
export const STDIN_SENTINEL = "\u0001recover-stdin";

/**
 * What `sudo -S` reads under become with a password: the password line, then the sentinel
 * line, then the command's stdin. sudo reads the password a byte at a time, so it takes the
 * first line only, and only when it asks at all: sudoers may let a command through without a
 * password (NOPASSWD for that command), and then the password line reaches the command instead.
 * {@link skipToCommandStdin} drops whatever is left before the sentinel, so the command never
 * sees the password either way.
 */
export function passwordThenStdin(password: string, stdin?: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${password}\n${STDIN_SENTINEL}\n`), stdin === undefined ? Buffer.alloc(0) : Buffer.from(stdin)]);
}

/** Just the password line, for sudo checks and kills whose command reads no stdin. */
export const passwordLine = (password: string): Buffer => Buffer.from(`${password}\n`);

/**
 * Runs `commandWords` (already shell-quoted) after reading stdin up to the sentinel line: the
 * wrapper sudo runs in front of the command. `read` takes one byte at a time from a pipe, so the
 * command's stdin starts exactly after the sentinel.
 */
export function skipToCommandStdin(commandWords: string): string {
  const script = `while IFS= read -r line && [ "$line" != ${shellQuote(STDIN_SENTINEL)} ]; do :; done; line=; exec "$@"`;
  return `sh -c ${shellQuote(script)} sh ${commandWords}`;
}
