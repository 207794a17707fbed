import { InputError } from "../../errors.js";

/** One ProxyJump hop as written: `[user@]host[:port]` (host may be `[v6]`), or `ssh://…`. */
export interface JumpSpec {
  host: string;
  user?: string;
  port?: number;
}

const HOP = /^(?:ssh:\/\/)?(?:([^@/]+)@)?(\[[^\]]+\]|[^:@/]+)(?::(\d+))?\/?$/;

/** Parses a ProxyJump hop; a malformed one is the operator's config error. */
export function parseJump(hop: string, source: string): JumpSpec {
  const match = HOP.exec(hop.trim());
  if (!match) throw new InputError(`ProxyJump hop ${JSON.stringify(hop)} in ${source} is not [user@]host[:port]`);
  const [, user, host = "", port] = match;
  return { host: host.replace(/^\[|\]$/g, ""), user: user || undefined, port: port ? Number(port) : undefined };
}
