import { generate } from "selfsigned";

/** PEM material for one emulator start: a throwaway CA and a server certificate it signed. */
export interface TlsMaterial {
  caCert: string;
  cert: string;
  key: string;
}

/**
 * Generates a fresh CA and a server certificate for 127.0.0.1/localhost (and `host` when it is
 * another loopback address). EC P-256 and SHA-256: quick to make, and Go's verifier accepts them.
 */
export async function generateTls(host = "127.0.0.1"): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 7 * 24 * 3600_000);
  const ca = await generate([{ name: "commonName", value: "recover-lab-ca" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const ips = [...new Set(["127.0.0.1", "::1", ...(isIp(host) ? [host] : [])])];
  const dns = [...new Set(["localhost", ...(isIp(host) ? [] : [host])])];
  const server = await generate([{ name: "commonName", value: "recover-lab-kube-api" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [...dns.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))],
      },
    ],
  });
  return { caCert: ca.cert, cert: server.cert, key: server.private };
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(":");
}
