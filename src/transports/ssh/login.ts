import type { Duplex } from "node:stream";
import { Client } from "ssh2";
import { ConnectError, HostKeyError, TransportError } from "../errors.js";
import { type AuthOptions, prepareAuth } from "./auth.js";
import { coalesceWrites } from "./coalesce-writes.js";
import type { ResolvedHost } from "./config.js";
import { probeHostCertificate } from "./host-certificate-probe.js";
import { type HostKeyPolicy, hostKeyAlgorithms, hostKeyFromBlob, verifyHostKey } from "./host-key.js";
import { keepaliveIntervalMs } from "./keepalive.js";
import { KnownHosts, knownHostsLookup } from "./known-hosts.js";
import { KnownHostsCache } from "./known-hosts-cache.js";

/** Everything a login needs besides the host and the socket. */
export interface LoginOptions extends AuthOptions, HostKeyPolicy {
  /** Handshake and login must finish within this (prompts excepted); default 30 s. */
  timeoutMs?: number;
  /** Stops connecting at once (the transport is being closed). */
  signal?: AbortSignal;
}

const DEFAULT_LOGIN_TIMEOUT_MS = 30_000;

const describe = (resolved: ResolvedHost): string =>
  `${resolved.alias}${resolved.hostName === resolved.alias ? "" : ` (${resolved.hostName} port ${resolved.port})`}`;

function authFailure(resolved: ResolvedHost, tried: string[], blockers: string[]): ConnectError {
  const lines = [
    `could not log in to ${describe(resolved)} as ${resolved.user}: the server accepted none of the keys tried.`,
    `Tried: ${tried.length > 0 ? tried.join("; ") : "nothing (no ssh-agent, no IdentityFile found)"}.`,
    ...blockers.map((b) => `Note: ${b}.`),
    `To fix: put your public key in ~${resolved.user}/.ssh/authorized_keys on the host, load the right key into ssh-agent (ssh-add), or set IdentityFile for ${resolved.alias} in ${resolved.sources[0] ?? "~/.ssh/config"}.`,
  ];
  return new ConnectError(lines.join("\n"), { target: resolved.alias });
}

/**
 * Runs the SSH handshake and login over an open socket (TCP, or a channel through a jump host):
 * host key checked against known_hosts before anything is sent, then agent and key auth.
 * `reopen` opens another socket to the same host, to fetch a host certificate when a
 * known_hosts CA vouches for the host (see host-certificate-probe).
 * Resolves with a ready client; rejects with ConnectError / HostKeyError and destroys the socket.
 */
export async function login(resolved: ResolvedHost, sock: Duplex, options: LoginOptions, reopen?: () => Promise<Duplex>): Promise<Client> {
  const auth = await prepareAuth(resolved, options);
  const lookup = knownHostsLookup(resolved);
  // Read once per login: the key types to offer and the verdict on the key come from the same lines.
  const files = [...resolved.userKnownHostsFiles, ...resolved.globalKnownHostsFiles];
  const known = await KnownHosts.load(files, KnownHostsCache.forEnv(options.env));
  const client = new Client();
  coalesceWrites(sock);
  let hostKeyError: Error | undefined;
  let prompting = false;

  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const timeoutMs = options.timeoutMs ?? resolved.connectTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      options.signal?.removeEventListener("abort", onAbort);
      client.removeListener("ready", onReady);
      if (!error) return resolve(client);
      client.destroy();
      sock.destroy();
      reject(error);
    };
    const onReady = () => finish();
    const onAbort = () =>
      finish(new ConnectError(`stopped logging in to ${describe(resolved)}: recover closed the transport`, { target: resolved.alias }));
    // The login clock stops while the operator is typing a passphrase.
    let idleMs = 0;
    const watchdog = setInterval(() => {
      if (prompting) return;
      idleMs += 250;
      if (idleMs >= timeoutMs)
        finish(
          new ConnectError(
            `no SSH login to ${describe(resolved)} within ${timeoutMs / 1000} s: the server is not answering (frozen or overloaded?)`,
            { target: resolved.alias },
          ),
        );
    }, 250);

    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    client.once("ready", onReady);
    client.on("error", (error: Error & { level?: string }) => {
      // An unusable agent is not fatal: ssh2 goes on with the next method.
      if (error.level === "agent") return;
      if (hostKeyError) return finish(hostKeyError);
      if (auth.promptError)
        return finish(
          new ConnectError(
            `login to ${describe(resolved)} stopped: ${auth.promptError.message}`,
            { target: resolved.alias },
            { cause: auth.promptError },
          ),
        );
      if (error.level === "client-authentication") return finish(authFailure(resolved, auth.tried, auth.blockers));
      finish(
        new ConnectError(`SSH connection to ${describe(resolved)} failed: ${error.message}`, { target: resolved.alias }, { cause: error }),
      );
    });
    client.on("close", () =>
      finish(hostKeyError ?? new ConnectError(`${describe(resolved)} closed the connection during login`, { target: resolved.alias })),
    );

    const prompter = options.prompter;
    client.connect({
      sock,
      host: resolved.hostName,
      port: resolved.port,
      username: resolved.user,
      readyTimeout: 0,
      keepaliveInterval: keepaliveIntervalMs(resolved),
      keepaliveCountMax: resolved.serverAliveCountMax,
      algorithms: { serverHostKey: hostKeyAlgorithms(known.keyTypes(lookup.host, lookup.port)) as never },
      hostVerifier: (blob: Buffer, verify: (ok: boolean) => void) => {
        const fetchCertificate = reopen && ((algorithms: string[]) => reopen().then((s) => probeHostCertificate(s, algorithms, timeoutMs)));
        verifyHostKey(resolved, hostKeyFromBlob(blob), known, { ...options, fetchCertificate }).then(
          () => verify(true),
          (error: unknown) => {
            hostKeyError =
              error instanceof HostKeyError || error instanceof TransportError
                ? error
                : new ConnectError(`could not check the host key of ${describe(resolved)}: ${(error as Error).message}`, {
                    target: resolved.alias,
                  });
            verify(false);
          },
        );
      },
      authHandler: (methodsLeft, partialSuccess, next) => {
        idleMs = 0;
        prompting = prompter !== undefined;
        auth.handler(methodsLeft, partialSuccess, (method) => {
          prompting = false;
          next(method);
        });
      },
    });
  });
}
