/** Host keys signed by a certificate authority that known_hosts trusts (`@cert-authority`). */
import { HostKeyError } from "../errors.js";
import { checkCertificate } from "./certificate-check.js";
import { fingerprint, type HostKey, keyTypeOf } from "./fingerprint.js";
import { certificateAlgorithms, parseCertificate } from "./host-certificate.js";
import type { HostKeyVerdict } from "./known-hosts.js";
import type { KnownHostEntry } from "./known-hosts-parse.js";

/** Fetches the host certificate the server presents for one of `algorithms` (undefined: it has none). */
export type CertificateSource = (algorithms: string[]) => Promise<Buffer | undefined>;

export interface CertifiedHost {
  /** The host as errors name it. */
  display: string;
  target: string;
  key: HostKey;
  /** The HostKeyAlias or HostName: the certificate must list it (or no principal at all). */
  principal: string;
  trust: { authorities: KnownHostEntry[]; revoked: KnownHostEntry[] };
  /** What the plain key lines say about the key: "unknown" or "changed". */
  plain: HostKeyVerdict;
  fetchCertificate?: CertificateSource;
  now?: Date;
}

/**
 * Admits a host that a known_hosts CA vouches for only with a valid certificate for the very key
 * the login proves (as ssh does when it negotiates the certificate); otherwise a HostKeyError
 * saying why. Never pins the plain key: it would stop working at the host's next key rotation,
 * which is what certificates are for.
 */
export async function verifyCertifiedHost(host: CertifiedHost): Promise<void> {
  const { display, key, principal, trust } = host;
  const ca = trust.authorities[0] as KnownHostEntry;
  const type = keyTypeOf(key);
  let why: string;
  try {
    const blob = await host.fetchCertificate?.(certificateAlgorithms(type));
    if (blob === undefined) {
      why = `the host presented no ${type} certificate (configure HostCertificate in its sshd_config)`;
    } else {
      const verdict = checkCertificate({
        cert: parseCertificate(blob),
        hostKey: key.data,
        principal,
        ...trust,
        now: BigInt(Math.floor((host.now ?? new Date()).getTime() / 1000)),
      });
      if (verdict.ok) return;
      why = `its certificate was refused: ${verdict.why}`;
    }
  } catch (error) {
    why = `its certificate could not be read: ${(error as Error).message}`;
  }
  const plain =
    host.plain.status === "changed" ? ` known_hosts also holds a different plain key for it at ${host.plain.file}:${host.plain.line}.` : "";
  throw new HostKeyError(
    [
      `host key of ${display} cannot be trusted: known_hosts trusts a certificate authority for it (${ca.file}:${ca.line}), but ${why}.`,
      `The host presented ${key.type} key ${fingerprint(key)}.${plain}`,
      "Nothing was sent to the host, and recover does not add the plain key of a host whose keys a CA signs, even with --accept-new-host-key (it would break at the next key rotation).",
      `Fix the host's certificate (ssh-keygen -L -f on the host's *-cert.pub shows it; re-sign it with ssh-keygen -s <ca> -h -n ${principal}), then connect again.`,
    ].join("\n"),
    { target: host.target },
    "certificate",
    key.type,
    fingerprint(key),
  );
}
