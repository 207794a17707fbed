/** Whether a host certificate vouches for a host, as OpenSSH's check_host_key() and sshkey_cert_check_host() decide. */
import { fingerprint } from "./fingerprint.js";
import { CERT_TYPE_HOST, type Certificate } from "./host-certificate.js";
import type { KnownHostEntry } from "./known-hosts-parse.js";
import { caSignatureProblem } from "./ssh-signature.js";

export interface CertificateCheck {
  cert: Certificate;
  /** The host key the connection authenticates: the certificate must certify exactly this key. */
  hostKey: Buffer;
  /** The name the certificate must list: the HostKeyAlias, else the HostName. */
  principal: string;
  /** `@cert-authority` entries for the host, and `@revoked` ones. */
  authorities: KnownHostEntry[];
  revoked: KnownHostEntry[];
  /** Seconds since the epoch. */
  now: bigint;
}

export type CertificateVerdict = { ok: true; authority: KnownHostEntry } | { ok: false; why: string };

const FOREVER = 0xffff_ffff_ffff_ffffn;
const when = (seconds: bigint): string => (seconds >= FOREVER ? "forever" : new Date(Number(seconds) * 1000).toISOString());
const caName = (blob: Buffer): string => fingerprint({ type: "", data: blob });

/** Decides on a host certificate; every refusal says why, in the operator's terms. */
export function checkCertificate({ cert, hostKey, principal, authorities, revoked, now }: CertificateCheck): CertificateVerdict {
  if (!cert.key.equals(hostKey)) return { ok: false, why: "the certificate is for another key than the one the host proved it holds" };
  if (cert.certType !== CERT_TYPE_HOST) return { ok: false, why: "it is a user certificate, not a host certificate" };
  const authority = authorities.find((a) => a.data.equals(cert.signatureKey));
  if (authority === undefined) {
    return { ok: false, why: `it is signed by CA ${caName(cert.signatureKey)}, which no @cert-authority line trusts for this host` };
  }
  const revokedCa = revoked.find((r) => r.data.equals(cert.signatureKey));
  if (revokedCa !== undefined) return { ok: false, why: `its CA key is marked @revoked at ${revokedCa.file}:${revokedCa.line}` };
  const badSignature = caSignatureProblem(cert.signatureKey, cert.signature, cert.signed);
  if (badSignature !== undefined) return { ok: false, why: badSignature };
  if (now < cert.validAfter) return { ok: false, why: `it is not valid before ${when(cert.validAfter)}` };
  if (now >= cert.validBefore) return { ok: false, why: `it expired at ${when(cert.validBefore)}` };
  // OpenSSH takes a host certificate without principals as valid for any host its CA line covers.
  if (cert.principals.length > 0 && !cert.principals.includes(principal)) {
    return { ok: false, why: `it is valid for ${cert.principals.join(", ")}, not for ${principal}` };
  }
  // PROTOCOL.certkeys: a critical option the verifier does not know must make it reject the certificate.
  if (cert.criticalOptions.length > 0)
    return { ok: false, why: `it has critical options recover does not know: ${cert.criticalOptions.join(", ")}` };
  return { ok: true, authority };
}
