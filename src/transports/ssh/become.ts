import { BecomeError } from "../errors.js";
import type { SecretPrompter } from "./auth.js";
import type { ResolvedHost } from "./config.js";
import type { ControlResult } from "./control-command.js";
import type { BecomeMode } from "./remote-command.js";
import { passwordLine } from "./sudo-stdin.js";

const CHECK_TIMEOUT_MS = 15_000;
const PASSWORD_TRIES = 3;

/** Runs one of the transport's own commands on the host (see control-command). */
export type ControlRun = (line: string, options: { stdin?: Buffer; timeoutMs: number }) => Promise<ControlResult>;

/** The sudo password, once known, kept for the transport's life and never shown anywhere. */
export interface SudoSecret {
  password?: string;
}

/**
 * Finds how this connection gets root: `sudo -n` when passwordless; otherwise the password,
 * asked once from the prompter (then checked with sudo itself); without a prompter a
 * BecomeError naming the host and what to configure. The password never appears in an error.
 */
export async function detectBecome(
  host: Pick<ResolvedHost, "alias" | "user">,
  run: ControlRun,
  options: { prompter?: SecretPrompter; secret: SudoSecret },
): Promise<BecomeMode> {
  const { alias, user } = host;
  const context = { target: alias, command: "sudo -n true" };
  // C locale: sudo's "a password is required" is translated on hosts with another LANG.
  const probe = await run("LC_ALL=C sudo -n true", { timeoutMs: CHECK_TIMEOUT_MS });
  if (probe.exitCode === 0) return "sudo";
  const said = probe.stderr.trim();
  if (probe.exitCode === 127 || /command not found|not found/i.test(said)) {
    throw new BecomeError(
      `sudo is not installed on ${alias}: install it there (apt-get install sudo), or run this step without become`,
      context,
    );
  }
  if (!/password is required/i.test(said)) {
    throw new BecomeError(
      `sudo refused ${user} on ${alias}: ${said || `exit ${probe.exitCode}`}; give ${user} sudo rights there (a file in /etc/sudoers.d)`,
      context,
    );
  }

  const works = async (password: string) => {
    const check = await run("sudo -k -S -p '' true", {
      stdin: passwordLine(password),
      timeoutMs: CHECK_TIMEOUT_MS,
    });
    return check.exitCode === 0;
  };
  if (options.secret.password !== undefined && (await works(options.secret.password))) return "sudo-password";
  if (!options.prompter) {
    throw new BecomeError(
      `sudo on ${alias} needs a password for ${user} and recover is not running interactively: configure passwordless sudo for ${user} (for example "${user} ALL=(ALL) NOPASSWD: ALL" in /etc/sudoers.d/), or run interactively`,
      context,
    );
  }
  for (let i = 1; i <= PASSWORD_TRIES; i++) {
    const password = await options.prompter.secret(`[sudo] password for ${user} on ${alias}: `);
    if (await works(password)) {
      options.secret.password = password;
      return "sudo-password";
    }
  }
  throw new BecomeError(`sudo on ${alias} did not accept the password for ${user} (${PASSWORD_TRIES} tries)`, context);
}
