import { HostKeyError } from "../errors.js";
import type { ResolvedHost } from "./config.js";
import { blobKeyType } from "./fingerprint.js";
import { type CertificateSource, verifyCertifiedHost } from "./host-key-certificate.js";
import { addKnownHost, fingerprint, type HostKey, type KnownHosts, knownHostsLookup, knownHostsName } from "./known-hosts.js";

/** ssh2's host key algorithms in its default order (newest first). */
const DEFAULT_ALGORITHMS = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
  "ssh-rsa",
];

/** The algorithms that prove a key of a known_hosts key type. */
const ALGORITHMS_OF_TYPE: Record<string, string[]> = {
  "ssh-rsa": ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
};

/**
 * Host key algorithms to offer, those of key types already in known_hosts first, as OpenSSH
 * does: otherwise a server with several keys could answer with one we have never seen and a
 * known host would look unknown.
 */
export function hostKeyAlgorithms(knownTypes: string[]): string[] {
  const preferred = knownTypes.flatMap((type) => ALGORITHMS_OF_TYPE[type] ?? [type]);
  const ordered = [...preferred, ...DEFAULT_ALGORITHMS].filter((a) => DEFAULT_ALGORITHMS.includes(a));
  return [...new Set(ordered)];
}

/** The host key in an SSH wire-format public key blob, typed by the blob's first string ("" when malformed). */
export function hostKeyFromBlob(blob: Buffer): HostKey {
  return { type: blobKeyType(blob) ?? "", data: blob };
}

/** How the operator allowed new keys; nothing else accepts one. */
export interface HostKeyPolicy {
  /** OpenSSH's accept-new, given explicitly by the operator. */
  acceptNewHostKey: boolean;
  /** Told when a key is added to known_hosts (OpenSSH's "Permanently added" warning). */
  onNotice?: (message: string) => void;
  /** Asks the server for its host certificate, for hosts a known_hosts CA vouches for; absent: they are refused. */
  fetchCertificate?: CertificateSource;
}

const where = (resolved: ResolvedHost): string =>
  `${resolved.alias}${resolved.hostName === resolved.alias ? "" : ` (${resolved.hostName})`}${resolved.port === 22 ? "" : ` port ${resolved.port}`}`;

/**
 * Checks the key a server presented against known_hosts, before anything is sent to it.
 * Match → resolves. Revoked, or named by a line that cannot be read → always HostKeyError. A host
 * a `@cert-authority` line covers → its certificate decides (see verifyCertifiedHost). Changed →
 * always HostKeyError. Unknown → added only with acceptNewHostKey, else HostKeyError naming the
 * key type, the SHA256 fingerprint and how to accept it.
 */
export async function verifyHostKey(resolved: ResolvedHost, key: HostKey, known: KnownHosts, policy: HostKeyPolicy): Promise<void> {
  const { host, port } = knownHostsLookup(resolved);
  const verdict = known.check(host, port, key);
  const print = fingerprint(key);
  const context = { target: resolved.alias };
  const name = knownHostsName(host, port);
  if (verdict.status === "match") return;
  if (verdict.status === "unreadable") {
    throw new HostKeyError(
      [
        `host key of ${where(resolved)} cannot be checked: ${verdict.file}:${verdict.line} names the host but cannot be read (${verdict.why}).`,
        `The host presented ${key.type} key ${print}. Nothing was sent to the host, and recover does not treat the host as unknown: the damaged line may hold its real key.`,
        `Repair or remove that line (ssh-keygen -R '${name}' -f ${verdict.file} removes every line for the host), then connect again.`,
      ].join("\n"),
      context,
      "unreadable",
      key.type,
      print,
    );
  }

  if (verdict.status !== "revoked") {
    const trust = known.authorities(host, port);
    if (trust.authorities.length > 0) {
      return verifyCertifiedHost({
        display: where(resolved),
        target: resolved.alias,
        key,
        principal: host,
        trust,
        plain: verdict,
        fetchCertificate: policy.fetchCertificate,
      });
    }
  }

  if (verdict.status === "changed" || verdict.status === "revoked") {
    const what =
      verdict.status === "changed"
        ? `known_hosts holds a different ${verdict.knownType} key for it at ${verdict.file}:${verdict.line}`
        : `that key is marked @revoked at ${verdict.file}:${verdict.line}`;
    throw new HostKeyError(
      [
        `HOST KEY OF ${where(resolved).toUpperCase()} HAS ${verdict.status === "changed" ? "CHANGED" : "BEEN REVOKED"}: someone may be intercepting the connection, or the host was reinstalled.`,
        `The host presented ${key.type} key ${print}; ${what}.`,
        "Nothing was sent to the host and recover never accepts a changed key.",
        `If the host really was reinstalled, verify the new fingerprint on its console (ssh-keygen -lf /etc/ssh/ssh_host_${key.type.replace(/^ssh-|-sha2-.*$/g, "")}_key.pub), remove the old entry with: ssh-keygen -R '${name}' -f ${verdict.file}`,
      ].join("\n"),
      context,
      verdict.status,
      key.type,
      print,
    );
  }

  const addTo = resolved.userKnownHostsFiles[0];
  if (policy.acceptNewHostKey && addTo !== undefined) {
    await addKnownHost(addTo, host, port, key, { hash: resolved.hashKnownHosts });
    policy.onNotice?.(`added ${key.type} key ${print} of ${name} to ${addTo} (accept-new)`);
    return;
  }
  const others = verdict.otherTypes.length > 0 ? ` (known_hosts has only ${verdict.otherTypes.join(", ")} keys for it)` : "";
  const lax = resolved.strictHostKeyChecking;
  // The config may ask for it, but only the operator's flag, given for this run, accepts a key.
  const strictNo =
    lax === "no" || lax === "accept-new"
      ? ` StrictHostKeyChecking ${lax} in ${resolved.sources.join(", ") || "the ssh config"} is not honoured: recover never accepts a host key silently.`
      : "";
  throw new HostKeyError(
    [
      `host key of ${where(resolved)} is not known: it presented ${key.type} key ${print}${others}.`,
      `Nothing was sent to the host.${strictNo}`,
      `Compare that fingerprint with the host's own (on its console: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then accept it explicitly: rerun with --accept-new-host-key (adds it to ${addTo ?? "~/.ssh/known_hosts"}), or run \`ssh ${resolved.alias}\` once and answer yes.`,
    ].join("\n"),
    context,
    "unknown",
    key.type,
    print,
  );
}
