/** OpenSSH certificates (PROTOCOL.certkeys): the fields a host certificate check needs. */
import { readStringList, WireError, WireReader, wireString } from "./ssh-wire.js";

/** The certificate key types and the plain key type each certifies. */
const CERTIFIED_TYPES: Record<string, string> = {
  "ssh-ed25519-cert-v01@openssh.com": "ssh-ed25519",
  "ecdsa-sha2-nistp256-cert-v01@openssh.com": "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384-cert-v01@openssh.com": "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521-cert-v01@openssh.com": "ecdsa-sha2-nistp521",
  "ssh-rsa-cert-v01@openssh.com": "ssh-rsa",
};

/** How many key fields (after the nonce) each certified key type has. */
const KEY_FIELDS: Record<string, number> = { "ssh-ed25519": 1, "ssh-rsa": 2 };

/** The host key algorithms (as offered in a key exchange) that present a certificate of a plain key type. */
export function certificateAlgorithms(plainType: string): string[] {
  if (plainType === "ssh-rsa") return ["rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com"];
  const cert = Object.keys(CERTIFIED_TYPES).find((name) => CERTIFIED_TYPES[name] === plainType);
  return cert === undefined ? [] : [cert];
}

export const CERT_TYPE_USER = 1;
export const CERT_TYPE_HOST = 2;

/** A parsed certificate; `key` is the certified plain public key blob, comparable with a host key. */
export interface Certificate {
  type: string;
  key: Buffer;
  serial: bigint;
  certType: number;
  keyId: string;
  principals: string[];
  validAfter: bigint;
  validBefore: bigint;
  criticalOptions: string[];
  /** The CA's public key blob. */
  signatureKey: Buffer;
  /** The signature blob (string format, string signature). */
  signature: Buffer;
  /** What the CA signed: everything before the signature field. */
  signed: Buffer;
}

/** Parses a certificate blob; throws a WireError naming what is wrong. */
export function parseCertificate(blob: Buffer): Certificate {
  const reader = new WireReader(blob);
  const type = reader.string();
  const plainType = CERTIFIED_TYPES[type];
  if (plainType === undefined) throw new WireError(`${type || "the blob"} is not a certificate type recover can check`);
  reader.bytes(); // nonce
  const fields = KEY_FIELDS[plainType] ?? 2; // ECDSA: curve name and point
  const keyParts = Array.from({ length: fields }, () => reader.raw());
  const key = Buffer.concat([wireString(plainType), ...keyParts]);
  const serial = reader.uint64();
  const certType = reader.uint32();
  const keyId = reader.string();
  const principals = readStringList(reader.bytes()).map((p) => p.toString("utf8"));
  const validAfter = reader.uint64();
  const validBefore = reader.uint64();
  const critical = readStringList(reader.bytes());
  // Options come in name/data pairs; only the names matter here.
  const criticalOptions = critical.filter((_, i) => i % 2 === 0).map((n) => n.toString("utf8"));
  reader.bytes(); // extensions
  reader.bytes(); // reserved
  const signatureKey = reader.bytes();
  const signed = blob.subarray(0, reader.position);
  const signature = reader.bytes();
  if (!reader.done) throw new WireError("the certificate has data after its signature");
  return { type, key, serial, certType, keyId, principals, validAfter, validBefore, criticalOptions, signatureKey, signature, signed };
}
