import type { SecretPrompter } from "./auth.js";

/** How to reach one host; everything else comes from the OpenSSH config, as `ssh <alias>` would. */
export interface SshTransportOptions {
  /** Host alias, resolved like OpenSSH (HostName, User, Port, IdentityFile, ProxyJump, …). */
  alias: string;
  /** From the runbook target; override the config like `ssh -l` / `ssh -p`. */
  user?: string;
  port?: number;
  become?: "sudo";
  /** Like `ssh -F`: only this config file is read. */
  configFile?: string;
  /** The operator's explicit accept-new: an unknown key is added to known_hosts. A changed key is always refused. */
  acceptNewHostKey?: boolean;
  /**
   * Channels open at once on the one connection, counting the one kept for the transport's own
   * commands (sshd's MaxSessions, default 10). A host allowing fewer is learned from its refusals.
   */
  maxChannels?: number;
  /** Kept stdout / stderr per command; onOutput still sees everything. */
  outputCapBytes?: number;
  /** Asks for a key passphrase or the sudo password; absent = not interactive: a clear error instead. */
  prompter?: SecretPrompter;
  /** SSH_AUTH_SOCK and HOME are read from here (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Told about things the operator should know but that are not errors (a host key added, how a command stopped earlier ended). */
  onNotice?: (message: string) => void;
}
