import { readFile } from "node:fs/promises";
import ssh2, { type AnyAuthMethod, type AuthHandlerMiddleware, type BaseAgent, createAgent, type ParsedKey } from "ssh2";
import type { SecretPrompter } from "../types.js";
import { agentKeyCount, agentSocket, FilteredAgent } from "./agent.js";
import type { ResolvedHost } from "./config.js";

export type { SecretPrompter } from "../types.js";

/** What one login will try, and afterwards what happened, for the error when every method failed. */
export interface AuthAttempt {
  handler: AuthHandlerMiddleware;
  /** Each method offered, in order ("ssh-agent … (2 keys)", "~/.ssh/id_ed25519", "… (not found)"). */
  tried: string[];
  /** Why a key could not even be offered, with what the operator can do about it. */
  blockers: string[];
  /** Set when the prompter itself failed (the operator cancelled). */
  promptError?: Error;
}

export interface AuthOptions {
  env: NodeJS.ProcessEnv;
  prompter?: SecretPrompter;
  /** Keys unlocked earlier on this transport, by file: a reconnect does not ask again. */
  unlocked: Map<string, ParsedKey>;
}

const PASSPHRASE_TRIES = 3;
const isEncryptedError = (error: Error): boolean => /no passphrase given/i.test(error.message);
const isBadPassphrase = (error: Error): boolean => /bad passphrase|integrity check failed|decrypt/i.test(error.message);

/** Public key blobs (base64) of the identity files, from `<file>.pub` or an unencrypted private key. */
async function identityPublicKeys(files: string[]): Promise<Set<string>> {
  const blobs = new Set<string>();
  for (const file of files) {
    const pub = await readFile(`${file}.pub`, "utf8").catch(() => undefined);
    const parsed = ssh2.utils.parseKey(pub ?? (await readFile(file).catch(() => "")));
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key && !(key instanceof Error)) blobs.add(key.getPublicSSH().toString("base64"));
  }
  return blobs;
}

/**
 * Each identity file's last bytes and the key parsed from them, when it needs no passphrase: a run
 * over many hosts reads the file at every login, as ssh does, but parses it once while it is unchanged.
 */
const parsedPlainKeys = new Map<string, { data: Buffer; key: ParsedKey }>();

/** Reads and, when encrypted, unlocks one identity file; undefined when it cannot be offered. */
async function loadKey(file: string, attempt: AuthAttempt, options: AuthOptions, who: string): Promise<ParsedKey | undefined> {
  const cached = options.unlocked.get(file);
  if (cached) return cached;
  const data = await readFile(file).catch(() => undefined);
  if (data === undefined) {
    attempt.tried.push(`${file} (not found)`);
    return undefined;
  }
  const kept = parsedPlainKeys.get(file);
  if (kept?.data.equals(data)) return kept.key;
  let parsed = ssh2.utils.parseKey(data);
  const plain = !(parsed instanceof Error);
  if (parsed instanceof Error && isEncryptedError(parsed)) {
    if (!options.prompter) {
      attempt.tried.push(`${file} (encrypted, not unlocked)`);
      attempt.blockers.push(
        `key ${file} is encrypted and recover is not running interactively, so it cannot ask for the passphrase: load it into your agent with \`ssh-add ${file}\`, or run interactively`,
      );
      return undefined;
    }
    for (let i = 1; i <= PASSPHRASE_TRIES; i++) {
      const passphrase = await options.prompter.secret(`Enter passphrase for key '${file}' (${who}): `);
      parsed = ssh2.utils.parseKey(data, passphrase);
      if (!(parsed instanceof Error) || !isBadPassphrase(parsed)) break;
    }
    if (parsed instanceof Error) {
      attempt.tried.push(`${file} (wrong passphrase)`);
      attempt.blockers.push(`the passphrase for ${file} was wrong ${PASSPHRASE_TRIES} times`);
      return undefined;
    }
  }
  if (parsed instanceof Error) {
    attempt.tried.push(`${file} (unreadable: ${parsed.message})`);
    return undefined;
  }
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
  if (plain) parsedPlainKeys.set(file, { data, key });
  else options.unlocked.set(file, key);
  return key;
}

/**
 * Plans a login as OpenSSH does it: ssh-agent first (only keys matching IdentityFile when
 * IdentitiesOnly is set), then each IdentityFile in order; an encrypted key asks the prompter
 * for its passphrase, or, without one, is skipped with a note saying how to fix it.
 */
export async function prepareAuth(resolved: ResolvedHost, options: AuthOptions): Promise<AuthAttempt> {
  const socket = await agentSocket(resolved.identityAgent, options.env);
  let agent: BaseAgent | undefined;
  if (socket)
    agent = resolved.identitiesOnly ? new FilteredAgent(socket, await identityPublicKeys(resolved.identityFiles)) : createAgent(socket);
  const who = `${resolved.user}@${resolved.alias}`;
  const pending = [...resolved.identityFiles];
  let agentOffered = agent === undefined;

  const attempt: AuthAttempt = { tried: [], blockers: [], handler: () => {} };
  const nextMethod = async (methodsLeft: string[] | null): Promise<AnyAuthMethod | false> => {
    // null before the first try; after that, what the server still accepts.
    if (methodsLeft && !methodsLeft.includes("publickey")) {
      attempt.blockers.push(`the server accepts no public keys (it offers: ${methodsLeft.join(", ") || "nothing"})`);
      return false;
    }
    if (!agentOffered && agent) {
      agentOffered = true;
      const count = await agentKeyCount(agent as BaseAgent<ParsedKey>);
      attempt.tried.push(
        `ssh-agent ${socket} (${count} key${count === 1 ? "" : "s"}${resolved.identitiesOnly ? " matching IdentityFile" : ""})`,
      );
      if (count > 0) return { type: "agent", username: resolved.user, agent };
    }
    for (let file = pending.shift(); file !== undefined; file = pending.shift()) {
      const key = await loadKey(file, attempt, options, who);
      if (!key) continue;
      attempt.tried.push(file);
      return { type: "publickey", username: resolved.user, key };
    }
    return false;
  };
  attempt.handler = (methodsLeft, _partialSuccess, next) => {
    nextMethod(methodsLeft).then(
      (method) => next(method as AnyAuthMethod),
      (error: unknown) => {
        attempt.promptError = error instanceof Error ? error : new Error(String(error));
        next(false as unknown as AnyAuthMethod);
      },
    );
  };
  return attempt;
}
