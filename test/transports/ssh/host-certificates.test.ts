import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SshdServer } from "../../../src/lab/sshd/server.js";
import { HostKeyError } from "../../../src/transports/errors.js";
import { rejectionOf, type SshHarness, startSshHarness } from "../../helpers/sshd.js";

let lab: SshHarness;
let certs: string;
let caPub: string;
let otherCa: string;

beforeAll(async () => {
  lab = await startSshHarness();
  certs = path.join(lab.dir, "certs");
  await mkdir(certs);
  await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "lab-ca", "-f", path.join(certs, "ca")]);
  await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "other-ca", "-f", path.join(certs, "other-ca")]);
  caPub = (await readFile(path.join(certs, "ca.pub"), "utf8")).split(" ").slice(0, 2).join(" ");
  otherCa = path.join(certs, "other-ca");
}, 60_000);

afterAll(async () => {
  await lab?.cleanup();
});

interface CertOptions {
  ca?: string;
  principals?: (server: SshdServer) => string[];
  validity?: string;
  /** No HostCertificate at all. */
  none?: boolean;
}

/**
 * A host whose ed25519 key is signed by a CA (ssh-keygen -s … -h), served by sshd with
 * HostCertificate, and known_hosts holding only `@cert-authority` for it.
 */
async function certifiedHost(alias: string, options: CertOptions = {}): Promise<SshdServer> {
  const certFile = path.join(certs, `${alias}-cert.pub`);
  const server = await lab.startHost(alias, { known: false, sshd: { extraConfig: [`HostCertificate ${certFile}`] } });
  const ed25519 = server.hostKeys.find((k) => k.algorithm === "ed25519");
  if (!ed25519) throw new Error("no ed25519 host key");
  if (!options.none) {
    const principals = (options.principals ?? ((s) => [s.address]))(server);
    const ca = options.ca ?? path.join(certs, "ca");
    const args = ["-q", "-s", ca, "-I", alias, "-h", "-V", options.validity ?? "-5m:+1h"];
    if (principals.length > 0) args.push("-n", principals.join(","));
    await execa("ssh-keygen", [...args, `${ed25519.privateFile}.pub`]);
    await execa("cp", [`${ed25519.privateFile}-cert.pub`, certFile]);
    // sshd reads HostCertificate at start.
    await server.down();
    await server.up();
  }
  await appendFile(lab.knownHostsFile, `@cert-authority [${server.address}]:${server.port} ${caPub}\n`);
  return server;
}

async function refusal(alias: string): Promise<HostKeyError> {
  const before = await readFile(lab.knownHostsFile, "utf8");
  const error = await rejectionOf(lab.transport(alias, { acceptNewHostKey: true }).exec({ command: { argv: ["true"] } }));
  expect(error).toBeInstanceOf(HostKeyError);
  // Never pinned, even with the operator's accept-new.
  expect(await readFile(lab.knownHostsFile, "utf8")).toBe(before);
  const log = (await lab.servers.get(alias)?.readLog()) ?? "";
  expect(log).not.toMatch(/Accepted|session opened|Starting session/i);
  return error as HostKeyError;
}

/** What the OpenSSH client says: 0 when it logs in (and checks the certificate). */
async function sshExitCode(alias: string): Promise<number | undefined> {
  const run = await execa("ssh", ["-F", lab.configFile, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", alias, "true"], {
    env: lab.env,
    reject: false,
    stdin: "ignore",
    timeout: 20_000,
  });
  return run.exitCode;
}

describe("@cert-authority host certificates", () => {
  it("a host certificate signed by a trusted CA admits the host, as ssh does, and nothing is added to known_hosts", async () => {
    await certifiedHost("cert-ok");
    const before = await readFile(lab.knownHostsFile, "utf8");
    expect(await sshExitCode("cert-ok")).toBe(0);
    const result = await lab.transport("cert-ok", { acceptNewHostKey: true }).exec({ command: { argv: ["echo", "in"] } });
    expect(result.stdout).toBe("in\n");
    expect(await readFile(lab.knownHostsFile, "utf8")).toBe(before);
  });

  it("an expired certificate is refused with the reason, never pinned", async () => {
    await certifiedHost("cert-expired", { validity: "-2h:-1h" });
    expect(await sshExitCode("cert-expired")).not.toBe(0);
    const error = await refusal("cert-expired");
    expect(error.change).toBe("certificate");
    expect(error.message).toMatch(/its certificate was refused: it expired at \d{4}-/);
    expect(error.message).toContain("does not add the plain key");
  });

  it("a certificate for other names is refused", async () => {
    await certifiedHost("cert-elsewhere", { principals: () => ["k3s9.lab"] });
    expect(await sshExitCode("cert-elsewhere")).not.toBe(0);
    const error = await refusal("cert-elsewhere");
    expect(error.message).toMatch(/it is valid for k3s9\.lab, not for 127\.0\.0\.\d+/);
  });

  it("a certificate signed by a CA known_hosts does not trust is refused", async () => {
    await certifiedHost("cert-other-ca", { ca: otherCa });
    expect(await sshExitCode("cert-other-ca")).not.toBe(0);
    const error = await refusal("cert-other-ca");
    expect(error.message).toMatch(/signed by CA SHA256:\S+, which no @cert-authority line trusts/);
  });

  it("a host a CA vouches for that presents no certificate is refused, and its plain key is not pinned", async () => {
    await certifiedHost("cert-missing", { none: true });
    const error = await refusal("cert-missing");
    expect(error.change).toBe("certificate");
    expect(error.message).toContain("the host presented no ssh-ed25519 certificate");
  });
});
