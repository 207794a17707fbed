import type { ResolvedHost } from "./config.js";

/**
 * recover's ServerAliveInterval when the ssh config sets none (ssh's own default is off). As in
 * ssh, the connection ends when a keepalive finds ServerAliveCountMax (3) unanswered before it,
 * so a host that stops answering is noticed 12 to 16 s later, instead of after TCP gives up. A
 * positive ServerAliveInterval in the config wins.
 */
export const DEFAULT_SERVER_ALIVE_INTERVAL_MS = 4_000;

/** The keepalive interval a connection to `host` uses. */
export const keepaliveIntervalMs = (host: Pick<ResolvedHost, "serverAliveIntervalMs">): number =>
  host.serverAliveIntervalMs ?? DEFAULT_SERVER_ALIVE_INTERVAL_MS;
