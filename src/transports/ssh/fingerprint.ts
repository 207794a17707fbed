/** Host key fingerprints and key-type lookup from SSH wire-format public key blobs. */
import { createHash } from "node:crypto";

/** A server's public host key. */
export interface HostKey {
  /** The key type: "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa" (servers signing with rsa-sha2-512 still have an ssh-rsa key). */
  type: string;
  /** SSH wire-format public key blob (what known_hosts holds in base64). */
  data: Buffer;
}

/** `SHA256:<base64 without padding>` of the key blob, exactly as `ssh-keygen -lf` prints it. */
export function fingerprint(key: HostKey): string {
  return `SHA256:${createHash("sha256").update(key.data).digest("base64").replace(/=+$/, "")}`;
}

/** The key type named inside a blob (its first string), or undefined when the blob is malformed. */
export function blobKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) return undefined;
  return blob.subarray(4, 4 + length).toString("latin1");
}

/** A key's real type: the one in its blob, so "rsa-sha2-512" reported by a transport still compares as "ssh-rsa". */
export function keyTypeOf(key: HostKey): string {
  return blobKeyType(key.data) ?? (key.type.startsWith("rsa-sha2-") ? "ssh-rsa" : key.type);
}

/** How many SSH strings a plain public key blob of each type holds, the type name included. */
const BLOB_FIELDS: Record<string, number> = {
  "ssh-ed25519": 2,
  "ssh-rsa": 3,
  "ssh-dss": 5,
  "ecdsa-sha2-nistp256": 3,
  "ecdsa-sha2-nistp384": 3,
  "ecdsa-sha2-nistp521": 3,
  "sk-ssh-ed25519@openssh.com": 3,
  "sk-ecdsa-sha2-nistp256@openssh.com": 4,
};

/**
 * True when a blob of a plain key type is exactly its fields, nothing missing or left over,
 * with the curve matching an ECDSA type. Certificates and unknown types only need their name.
 */
export function wellFormedBlob(blob: Buffer): boolean {
  const type = blobKeyType(blob);
  if (type === undefined) return false;
  const fields = BLOB_FIELDS[type];
  if (fields === undefined) return true;
  const strings: Buffer[] = [];
  let offset = 0;
  while (offset < blob.length) {
    if (offset + 4 > blob.length) return false;
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) return false;
    strings.push(blob.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  if (strings.length !== fields) return false;
  if (type === "ssh-ed25519" || type === "sk-ssh-ed25519@openssh.com") return strings[1]?.length === 32;
  const curve = strings[1]?.toString("latin1");
  if (type.startsWith("ecdsa-sha2-")) return curve === type.slice("ecdsa-sha2-".length);
  if (type === "sk-ecdsa-sha2-nistp256@openssh.com") return curve === "nistp256";
  return true;
}
