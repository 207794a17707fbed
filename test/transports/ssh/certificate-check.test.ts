import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CertificateCheck, checkCertificate } from "../../../src/transports/ssh/certificate-check.js";
import { type Certificate, parseCertificate } from "../../../src/transports/ssh/host-certificate.js";
import type { KnownHostEntry } from "../../../src/transports/ssh/known-hosts-parse.js";

let dir: string;
let hostKey: Buffer;

const CA_TYPES = {
  ed25519: ["-t", "ed25519"],
  ecdsa256: ["-t", "ecdsa", "-b", "256"],
  ecdsa384: ["-t", "ecdsa", "-b", "384"],
  ecdsa521: ["-t", "ecdsa", "-b", "521"],
  rsa: ["-t", "rsa", "-b", "2048"],
} as const;
type CaName = keyof typeof CA_TYPES;

const blobOf = async (pubFile: string): Promise<Buffer> => Buffer.from((await readFile(pubFile, "utf8")).split(" ")[1] ?? "", "base64");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recover-certs-"));
  await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host")]);
  hostKey = await blobOf(join(dir, "host.pub"));
  await Promise.all(
    (Object.keys(CA_TYPES) as CaName[]).map((name) => execa("ssh-keygen", ["-q", ...CA_TYPES[name], "-N", "", "-f", join(dir, name)])),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let serial = 0;
/** Signs the host key with ssh-keygen -s and returns the parsed certificate. */
async function sign(ca: CaName, extra: string[] = ["-h", "-n", "k3s1.lab"], keyFile = "host"): Promise<Certificate> {
  const id = `c${++serial}`;
  await execa("cp", [join(dir, `${keyFile}.pub`), join(dir, `${id}.pub`)]);
  await execa("ssh-keygen", ["-q", "-s", join(dir, ca), "-I", id, "-V", "-5m:+1h", ...extra, join(dir, `${id}.pub`)]);
  return parseCertificate(await blobOf(join(dir, `${id}-cert.pub`)));
}

async function authority(ca: CaName, marker: KnownHostEntry["marker"] = "cert-authority"): Promise<KnownHostEntry> {
  return { file: "known_hosts", line: 1, marker, type: "", data: await blobOf(join(dir, `${ca}.pub`)), hashed: false };
}

async function check(cert: Certificate, overrides: Partial<CertificateCheck> = {}) {
  return checkCertificate({
    cert,
    hostKey,
    principal: "k3s1.lab",
    authorities: [await authority("ed25519")],
    revoked: [],
    now: BigInt(Math.floor(Date.now() / 1000)),
    ...overrides,
  });
}

describe("checkCertificate", () => {
  it.each(Object.keys(CA_TYPES) as CaName[])("verifies a host certificate signed by a %s CA", async (ca) => {
    const cert = await sign(ca);
    expect(cert.key.equals(hostKey)).toBe(true);
    expect(await check(cert, { authorities: [await authority(ca)] })).toMatchObject({ ok: true });
  });

  it("refuses a CA signature with SHA-1 (ssh-rsa), as OpenSSH's CASignatureAlgorithms does", async () => {
    const cert = await sign("rsa", ["-t", "ssh-rsa", "-h", "-n", "k3s1.lab"]);
    expect(await check(cert, { authorities: [await authority("rsa")] })).toEqual({
      ok: false,
      why: "the CA signed with ssh-rsa, which OpenSSH does not accept from a CA",
    });
  });

  it("refuses a tampered certificate", async () => {
    const cert = await sign("ed25519");
    const signed = Buffer.from(cert.signed);
    signed[signed.length - 60] = (signed[signed.length - 60] ?? 0) ^ 1;
    expect(await check({ ...cert, signed })).toEqual({ ok: false, why: "the CA's signature does not verify" });
  });

  it("refuses a certificate for another key, a user certificate, an untrusted or revoked CA", async () => {
    const cert = await sign("ed25519");
    expect(await check(cert, { hostKey: await blobOf(join(dir, "ed25519.pub")) })).toMatchObject({
      ok: false,
      why: "the certificate is for another key than the one the host proved it holds",
    });
    expect(await check(await sign("ed25519", ["-n", "k3s1.lab"]))).toMatchObject({
      ok: false,
      why: expect.stringMatching(/user certificate/),
    });
    expect(await check(cert, { authorities: [await authority("rsa")] })).toMatchObject({
      ok: false,
      why: expect.stringMatching(/which no @cert-authority line trusts/),
    });
    expect(await check(cert, { revoked: [await authority("ed25519", "revoked")] })).toMatchObject({
      ok: false,
      why: "its CA key is marked @revoked at known_hosts:1",
    });
  });

  it("checks the validity window and the principals; no principals means any host, as in OpenSSH", async () => {
    const cert = await sign("ed25519");
    expect(await check(cert, { now: cert.validAfter - 1n })).toMatchObject({
      ok: false,
      why: expect.stringMatching(/^it is not valid before /),
    });
    expect(await check(cert, { now: cert.validBefore })).toMatchObject({ ok: false, why: expect.stringMatching(/^it expired at /) });
    expect(await check(cert, { principal: "k3s2.lab" })).toEqual({ ok: false, why: "it is valid for k3s1.lab, not for k3s2.lab" });
    expect(await check(await sign("ed25519", ["-h"]), { principal: "anything" })).toMatchObject({ ok: true });
  });
});
