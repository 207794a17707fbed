/**
 * Asks an SSH server for its host certificate the way `ssh-keyscan -c` does: a key exchange that
 * offers only certificate host key algorithms, given up as soon as the server has sent its host
 * key. ssh2 cannot negotiate certificates, so the login itself proves the plain key and this
 * fetches the certificate beside it. Nothing received here is trusted by itself: the certificate
 * must carry a CA's valid signature and certify the very key the login proves (certificate-check).
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { Duplex } from "node:stream";
import { WireReader, wireString } from "./ssh-wire.js";

const MSG_DISCONNECT = 1;
const MSG_KEXINIT = 20;
const MSG_KEX_ECDH_INIT = 30;
const MSG_KEX_ECDH_REPLY = 31;
const KEX = ["curve25519-sha256", "curve25519-sha256@libssh.org"];
const CIPHERS = "aes128-ctr,aes256-ctr,chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com";
const MACS = "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512";
const MAX_BANNER_BYTES = 8 * 1024;
const MAX_PACKET_BYTES = 256 * 1024;

/** One unencrypted binary packet (RFC 4253 §6): length, padding length, payload, 4 to 11 bytes of padding. */
function packet(payload: Buffer): Buffer {
  let padding = 8 - ((5 + payload.length) % 8);
  if (padding < 4) padding += 8;
  const head = Buffer.alloc(5);
  head.writeUInt32BE(1 + payload.length + padding);
  head[4] = padding;
  return Buffer.concat([head, payload, randomBytes(padding)]);
}

function kexInit(hostKeyAlgorithms: string[]): Buffer {
  const lists = [KEX.join(","), hostKeyAlgorithms.join(","), CIPHERS, CIPHERS, MACS, MACS, "none", "none", "", ""];
  return packet(Buffer.concat([Buffer.from([MSG_KEXINIT]), randomBytes(16), ...lists.map((l) => wireString(l)), Buffer.alloc(5)]));
}

function ecdhInit(): Buffer {
  const jwk = generateKeyPairSync("x25519").publicKey.export({ format: "jwk" });
  return packet(Buffer.concat([Buffer.from([MSG_KEX_ECDH_INIT]), wireString(Buffer.from(jwk.x ?? "", "base64url"))]));
}

/** True when the server's KEXINIT offers our key exchange and one of the certificate algorithms. */
function serverOffers(payload: Buffer, hostKeyAlgorithms: string[]): boolean {
  const reader = new WireReader(payload.subarray(17));
  const kex = reader.string().split(",");
  const hostKeys = reader.string().split(",");
  return KEX.some((k) => kex.includes(k)) && hostKeyAlgorithms.some((a) => hostKeys.includes(a));
}

/**
 * The host certificate blob the server at the other end of `socket` presents for one of
 * `algorithms`; undefined when it has none of them. Always destroys the socket; rejects when the
 * server says nothing usable within `timeoutMs`.
 */
export function probeHostCertificate(socket: Duplex, algorithms: string[], timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    let bannerSeen = false;
    let settled = false;
    const finish = (outcome: Buffer | undefined | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners("data");
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish(new Error(`no host key within ${timeoutMs / 1000} s`)), timeoutMs);
    const onPacket = (payload: Buffer) => {
      const type = payload[0];
      if (type === MSG_KEXINIT) {
        if (!serverOffers(payload, algorithms)) return finish(undefined);
        socket.write(ecdhInit());
      } else if (type === MSG_KEX_ECDH_REPLY) {
        finish(new WireReader(payload.subarray(1)).bytes());
      } else if (type === MSG_DISCONNECT) {
        finish(undefined);
      }
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (!bannerSeen) {
        const end = buffered.indexOf(0x0a);
        if (end === -1) {
          if (buffered.length > MAX_BANNER_BYTES) return finish(new Error("the server sent no SSH identification"));
          return;
        }
        bannerSeen = buffered.subarray(0, 4).toString("latin1") === "SSH-";
        buffered = buffered.subarray(end + 1);
      }
      while (buffered.length >= 4) {
        const length = buffered.readUInt32BE(0);
        if (length < 5 || length > MAX_PACKET_BYTES) return finish(new Error("the server sent a malformed packet"));
        if (buffered.length < 4 + length) return;
        const padding = buffered[4] as number;
        if (padding > length - 2) return finish(new Error("the server sent a malformed packet"));
        const payload = buffered.subarray(5, 4 + length - padding);
        buffered = buffered.subarray(4 + length);
        try {
          onPacket(payload);
        } catch (error) {
          return finish(error as Error);
        }
      }
    };
    socket.on("data", onData);
    socket.once("error", (error: Error) => finish(error));
    socket.once("close", () => finish(undefined));
    socket.write(Buffer.concat([Buffer.from("SSH-2.0-recover_certificate_probe\r\n"), kexInit(algorithms)]));
  });
}
