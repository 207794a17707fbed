import { stat } from "node:fs/promises";
import { BaseAgent, createAgent, type IdentityCallback, type ParsedKey, type SignCallback, type SigningRequestOptions } from "ssh2";

/** The agent socket to use: IdentityAgent when set ("none" turns it off), else SSH_AUTH_SOCK. */
export async function agentSocket(identityAgent: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (identityAgent === "none") return undefined;
  const socket = identityAgent === undefined || identityAgent === "SSH_AUTH_SOCK" ? env.SSH_AUTH_SOCK : identityAgent;
  if (!socket) return undefined;
  // A stale SSH_AUTH_SOCK is common (a closed session's agent): skip it instead of failing.
  const info = await stat(socket).catch(() => undefined);
  return info?.isSocket() ? socket : undefined;
}

/**
 * An agent that offers only some of its keys: with IdentitiesOnly, OpenSSH uses agent keys only
 * when they match a configured IdentityFile, so a host does not see (and count) every key.
 */
export class FilteredAgent extends BaseAgent<ParsedKey> {
  private readonly inner: BaseAgent<ParsedKey>;

  constructor(
    socket: string,
    private readonly allowed: Set<string>,
  ) {
    super();
    // createAgent on a socket path is an OpenSSHAgent, whose keys are parsed.
    this.inner = createAgent(socket) as BaseAgent<ParsedKey>;
  }

  override getIdentities(cb: IdentityCallback<ParsedKey>): void {
    this.inner.getIdentities((err, keys) => {
      // OpenSSHAgent lists parsed keys; anything else cannot be matched, so it is not offered.
      cb(
        err,
        keys?.filter((key) => "getPublicSSH" in key && this.allowed.has(key.getPublicSSH().toString("base64"))),
      );
    });
  }

  override sign(pubKey: ParsedKey, data: Buffer, options: SigningRequestOptions, cb?: SignCallback): void;
  override sign(pubKey: ParsedKey, data: Buffer, cb: SignCallback): void;
  override sign(pubKey: ParsedKey, data: Buffer, options: SigningRequestOptions | SignCallback, cb?: SignCallback): void {
    if (typeof options === "function") this.inner.sign(pubKey, data, {}, options);
    else this.inner.sign(pubKey, data, options, cb);
  }
}

/** Counts the keys an agent holds; 0 when it cannot be asked. */
export function agentKeyCount(agent: BaseAgent<ParsedKey>): Promise<number> {
  return new Promise((resolve) => agent.getIdentities((err, keys) => resolve(err ? 0 : (keys?.length ?? 0))));
}
