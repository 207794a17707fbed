/** Verifies an SSH signature (RFC 4253 §6.6, RFC 5656, RFC 8332, RFC 8709) with a public key blob, in node:crypto. */
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { mpintMagnitude, WireReader } from "./ssh-wire.js";

const CURVES: Record<string, { jwk: string; hash: string; bytes: number }> = {
  nistp256: { jwk: "P-256", hash: "sha256", bytes: 32 },
  nistp384: { jwk: "P-384", hash: "sha384", bytes: 48 },
  nistp521: { jwk: "P-521", hash: "sha512", bytes: 66 },
};

/**
 * The signature formats OpenSSH 9.2 accepts from a certificate authority by default
 * (CASignatureAlgorithms; the SHA-1 `ssh-rsa` is not among them), with the hash each uses.
 */
const CA_SIGNATURE_HASHES: Record<string, string | null> = {
  "ssh-ed25519": null,
  "ecdsa-sha2-nistp256": "sha256",
  "ecdsa-sha2-nistp384": "sha384",
  "ecdsa-sha2-nistp521": "sha512",
  "rsa-sha2-256": "sha256",
  "rsa-sha2-512": "sha512",
};

const b64url = (data: Buffer): string => data.toString("base64url");

/** A node:crypto public key from an SSH public key blob, with its type; throws for a type recover cannot use. */
function publicKey(blob: Buffer): { type: string; key: KeyObject; curveBytes?: number } {
  const reader = new WireReader(blob);
  const type = reader.string();
  if (type === "ssh-ed25519") {
    return { type, key: createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: b64url(reader.bytes()) }, format: "jwk" }) };
  }
  if (type === "ssh-rsa") {
    const e = mpintMagnitude(reader.bytes());
    const n = mpintMagnitude(reader.bytes());
    return { type, key: createPublicKey({ key: { kty: "RSA", n: b64url(n), e: b64url(e) }, format: "jwk" }) };
  }
  const curve = CURVES[reader.string()];
  if (type.startsWith("ecdsa-sha2-") && curve !== undefined) {
    const point = reader.bytes();
    if (point[0] !== 0x04 || point.length !== 1 + 2 * curve.bytes) throw new Error("the ECDSA point is not an uncompressed point");
    const x = point.subarray(1, 1 + curve.bytes);
    const y = point.subarray(1 + curve.bytes);
    return {
      type,
      key: createPublicKey({ key: { kty: "EC", crv: curve.jwk, x: b64url(x), y: b64url(y) }, format: "jwk" }),
      curveBytes: curve.bytes,
    };
  }
  throw new Error(`${type} keys cannot sign certificates that recover checks`);
}

/** An ECDSA signature's (mpint r, mpint s) as the fixed-width r‖s node:crypto reads with dsaEncoding ieee-p1363. */
function ecdsaSignature(blob: Buffer, bytes: number): Buffer {
  const reader = new WireReader(blob);
  const pad = (n: Buffer) => {
    const magnitude = mpintMagnitude(n);
    if (magnitude.length > bytes) throw new Error("ECDSA signature value too long");
    return Buffer.concat([Buffer.alloc(bytes - magnitude.length), magnitude]);
  };
  return Buffer.concat([pad(reader.bytes()), pad(reader.bytes())]);
}

/**
 * Checks a certificate authority's `signature` blob (string format, string signature) over
 * `data` with the CA's public key blob. Returns undefined when it verifies, else why not.
 */
export function caSignatureProblem(caKeyBlob: Buffer, signature: Buffer, data: Buffer): string | undefined {
  try {
    const { type, key, curveBytes } = publicKey(caKeyBlob);
    const reader = new WireReader(signature);
    const format = reader.string();
    const sig = reader.bytes();
    const hash = CA_SIGNATURE_HASHES[format];
    if (hash === undefined) return `the CA signed with ${format}, which OpenSSH does not accept from a CA`;
    const fits = format === type || (type === "ssh-rsa" && format.startsWith("rsa-sha2-"));
    if (!fits) return `a ${format} signature cannot come from a ${type} CA key`;
    const ok =
      curveBytes === undefined
        ? verify(hash, data, key, sig)
        : verify(hash, data, { key, dsaEncoding: "ieee-p1363" }, ecdsaSignature(sig, curveBytes));
    return ok ? undefined : "the CA's signature does not verify";
  } catch (error) {
    return `the CA's signature cannot be checked: ${(error as Error).message}`;
  }
}
