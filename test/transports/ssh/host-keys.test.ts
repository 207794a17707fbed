import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { appendFile, copyFile, mkdir, open, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SshdServer } from "../../../src/lab/sshd/server.js";
import { HostKeyError } from "../../../src/transports/errors.js";
import { KnownHostsCache } from "../../../src/transports/ssh/known-hosts-cache.js";
import { hashHostName } from "../../../src/transports/ssh/known-hosts-parse.js";
import { rejectionOf, type SshHarness, startSshHarness } from "../../helpers/sshd.js";

let lab: SshHarness;

beforeAll(async () => {
  lab = await startSshHarness();
}, 60_000);

afterAll(async () => {
  await lab?.cleanup();
});

async function fingerprintOf(server: SshdServer, type: string): Promise<string> {
  const key = server.hostKeys.find((k) => k.type === type);
  if (!key) throw new Error(`no ${type} host key`);
  const { stdout } = await execa("ssh-keygen", ["-lf", `${key.privateFile}.pub`]);
  return stdout.split(" ")[1] ?? "";
}

async function rejection(work: Promise<unknown>): Promise<HostKeyError> {
  const error = await rejectionOf(work);
  expect(error).toBeInstanceOf(HostKeyError);
  return error as HostKeyError;
}

/** What sshd saw of a refused connection: no login attempt of any kind. */
async function expectNothingSent(server: SshdServer): Promise<void> {
  const log = await server.readLog();
  expect(log).not.toMatch(/Accepted|publickey|Failed|session opened|Starting session/i);
}

/** A copy of the harness's ssh config that reads `file` as known_hosts instead of the shared one. */
async function configWithKnownHosts(file: string): Promise<string> {
  const config = `${file}.ssh_config`;
  await writeFile(config, (await readFile(lab.configFile, "utf8")).replaceAll(lab.knownHostsFile, file));
  return config;
}

describe("host key checking", () => {
  it("an unknown key stops the connection before anything is sent, naming type and SHA256 fingerprint", async () => {
    const server = await lab.startHost("unknown1", { known: false });
    const before = await readFile(lab.knownHostsFile, "utf8");
    const error = await rejection(lab.transport("unknown1").exec({ command: { argv: ["touch", `${lab.remoteDir}/should-not-exist`] } }));
    expect(error.change).toBe("unknown");
    expect(error.keyType).toBe("ssh-ed25519");
    expect(error.fingerprint).toBe(await fingerprintOf(server, "ssh-ed25519"));
    expect(error.message).toContain(`ssh-ed25519 key ${error.fingerprint}`);
    expect(error.message).toContain("host key of unknown1");
    expect(error.message).toContain("--accept-new-host-key");
    expect(error.message).toContain("Nothing was sent to the host");
    expect(await readFile(lab.knownHostsFile, "utf8")).toBe(before);
    await expectNothingSent(server);
  });

  it("acceptNewHostKey adds an unknown key to known_hosts, says so, and connects", async () => {
    const server = await lab.startHost("unknown2", { known: false });
    const notices: string[] = [];
    const ssh = lab.transport("unknown2", { acceptNewHostKey: true, onNotice: (m) => notices.push(m) });
    expect((await ssh.exec({ command: { argv: ["echo", "in"] } })).stdout).toBe("in\n");
    const ed25519 = server.hostKeys.find((k) => k.type === "ssh-ed25519");
    expect(await readFile(lab.knownHostsFile, "utf8")).toContain(`[${server.address}]:${server.port} ssh-ed25519 ${ed25519?.base64}`);
    expect(notices).toEqual([expect.stringContaining(await fingerprintOf(server, "ssh-ed25519"))]);
    // Now known: a transport without the flag connects too.
    expect((await lab.transport("unknown2").exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
  });

  it("a changed key is refused loudly with the known_hosts file:line, even with acceptNewHostKey", async () => {
    const server = await lab.startHost("changed", { known: false });
    const other = path.join(lab.dir, "other_host_key");
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    const otherLine = (await readFile(`${other}.pub`, "utf8")).split(" ").slice(0, 2).join(" ");
    await appendFile(lab.knownHostsFile, `[${server.address}]:${server.port} ${otherLine}\n`);
    const line = (await readFile(lab.knownHostsFile, "utf8")).trimEnd().split("\n").length;
    const error = await rejection(lab.transport("changed", { acceptNewHostKey: true }).exec({ command: { argv: ["true"] } }));
    expect(error.change).toBe("changed");
    expect(error.fingerprint).toBe(await fingerprintOf(server, "ssh-ed25519"));
    expect(error.message).toMatch(/^HOST KEY OF CHANGED .*HAS CHANGED/);
    expect(error.message).toContain(`${lab.knownHostsFile}:${line}`);
    expect(error.message).toContain(`ssh-keygen -R '[${server.address}]:${server.port}'`);
    await expectNothingSent(server);
  });

  it("known_hosts with CRLF line endings is read as ssh reads it: a changed key stays changed, a known key is known", async () => {
    const server = await lab.startHost("crlf", { known: false });
    const file = path.join(lab.dir, "known_hosts_crlf");
    const other = path.join(lab.dir, "crlf_other_key");
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    const otherLine = (await readFile(`${other}.pub`, "utf8")).split(" ").slice(0, 2).join(" ");
    await writeFile(file, `# written on Windows\r\n[${server.address}]:${server.port} ${otherLine}\r\n`);
    const config = await configWithKnownHosts(file);
    const changed = await rejection(
      lab.transport("crlf", { configFile: config, acceptNewHostKey: true }).exec({ command: { argv: ["true"] } }),
    );
    expect(changed.change).toBe("changed");
    expect(changed.message).toContain(`${file}:2`);
    expect(await readFile(file, "utf8")).not.toContain(server.hostKeys[0]?.base64 ?? "?");
    await expectNothingSent(server);
    await writeFile(file, `${server.knownHostsLines().join("\r\n")}\r\n`);
    expect((await lab.transport("crlf", { configFile: config }).exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
  });

  it("a damaged known_hosts line for the host never makes it unknown: refused, even with acceptNewHostKey, file untouched", async () => {
    const server = await lab.startHost("damaged", { known: false });
    const file = path.join(lab.dir, "known_hosts_damaged");
    const [type, base64 = ""] = (server.knownHostsLines()[0] ?? "").split(" ").slice(1);
    await writeFile(file, `[${server.address}]:${server.port} ${type} ${base64.slice(0, -8)}\n`);
    const config = await configWithKnownHosts(file);
    const before = await readFile(file, "utf8");
    const error = await rejection(
      lab.transport("damaged", { configFile: config, acceptNewHostKey: true }).exec({ command: { argv: ["true"] } }),
    );
    expect(error.change).toBe("unreadable");
    expect(error.message).toContain(`${file}:1 names the host but cannot be read`);
    expect(await readFile(file, "utf8")).toBe(before);
    await expectNothingSent(server);
  });

  it("StrictHostKeyChecking no in the config is not honoured silently", async () => {
    const server = await lab.startHost("lax", { known: false, extraConfig: ["StrictHostKeyChecking no"] });
    const error = await rejection(lab.transport("lax").exec({ command: { argv: ["true"] } }));
    expect(error.change).toBe("unknown");
    expect(error.message).toContain("StrictHostKeyChecking no");
    expect(error.message).toContain("not honoured");
    await expectNothingSent(server);
  });

  it("StrictHostKeyChecking accept-new in the config is not taken as the operator's flag, and says so", async () => {
    const server = await lab.startHost("lax-new", { known: false, extraConfig: ["StrictHostKeyChecking accept-new"] });
    const before = await readFile(lab.knownHostsFile, "utf8");
    const error = await rejection(lab.transport("lax-new").exec({ command: { argv: ["true"] } }));
    expect(error.change).toBe("unknown");
    expect(error.message).toContain("StrictHostKeyChecking accept-new");
    expect(error.message).toContain("--accept-new-host-key");
    expect(await readFile(lab.knownHostsFile, "utf8")).toBe(before);
    await expectNothingSent(server);
  });

  it("a revoked key is refused", async () => {
    const server = await lab.startHost("revoked", { known: false });
    await appendFile(
      lab.knownHostsFile,
      `${server
        .knownHostsLines()
        .map((l) => `@revoked ${l}`)
        .join("\n")}\n`,
    );
    const error = await rejection(lab.transport("revoked", { acceptNewHostKey: true }).exec({ command: { argv: ["true"] } }));
    expect(error.message).toMatch(/HAS BEEN REVOKED/);
    expect(error.change).toBe("revoked");
  });

  it("prefers the key type known_hosts holds, so a host known by its ecdsa key is known", async () => {
    const server = await lab.startHost("ecdsa-only", { known: false });
    const ecdsa = server.knownHostsLines().filter((l) => l.includes(" ecdsa-sha2-nistp256 "));
    expect(ecdsa).toHaveLength(1);
    await appendFile(lab.knownHostsFile, `${ecdsa.join("\n")}\n`);
    expect((await lab.transport("ecdsa-only").exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
  });

  it("a jump host's unknown key stops the connection there: nothing reaches the jump host or the target", async () => {
    const jump = await lab.startHost("jump-unknown", { known: false });
    const target = await lab.startHost("behind-unknown-jump", { extraConfig: ["ProxyJump jump-unknown"] });
    // The launcher's readiness check connected once already.
    const connections = async () => (await target.readLog()).match(/Connection from/g)?.length ?? 0;
    const before = await connections();
    const error = await rejection(lab.transport("behind-unknown-jump").exec({ command: { argv: ["true"] } }));
    expect(error.change).toBe("unknown");
    expect(error.target).toBe("jump-unknown");
    expect(error.fingerprint).toBe(await fingerprintOf(jump, "ssh-ed25519"));
    await expectNothingSent(jump);
    expect(await connections()).toBe(before);
  });

  it("a target's unknown key behind a known jump host is refused too", async () => {
    await lab.startHost("jump-known");
    const target = await lab.startHost("unknown-behind-jump", { known: false, extraConfig: ["ProxyJump jump-known"] });
    const error = await rejection(lab.transport("unknown-behind-jump").exec({ command: { argv: ["true"] } }));
    expect(error.change).toBe("unknown");
    expect(error.target).toBe("unknown-behind-jump");
    await expectNothingSent(target);
  });

  it("with HostKeyAlias only the alias's entry counts, and accept-new records the key under the alias", async () => {
    // known_hosts knows this server by address and port; with HostKeyAlias ssh looks up only the alias.
    const server = await lab.startHost("aliased", { extraConfig: ["HostKeyAlias aliased-key"] });
    const error = await rejection(lab.transport("aliased").exec({ command: { argv: ["true"] } }));
    expect(error.change).toBe("unknown");
    await expectNothingSent(server);
    expect((await lab.transport("aliased", { acceptNewHostKey: true }).exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
    const ed25519 = server.hostKeys.find((k) => k.type === "ssh-ed25519");
    expect(await readFile(lab.knownHostsFile, "utf8")).toContain(`aliased-key ssh-ed25519 ${ed25519?.base64}`);
  });

  it("%k in UserKnownHostsFile and IdentityFile is the alias, as in ssh: the alias's file decides, and a changed key there is refused", async () => {
    const kh = path.join(lab.dir, "kh");
    const keys = path.join(lab.dir, "keys");
    await mkdir(kh, { recursive: true });
    await mkdir(keys, { recursive: true });
    await copyFile(lab.key.privateFile, path.join(keys, "k-alias"));
    const server = await lab.startHost("k-alias", {
      known: false,
      extraConfig: [`UserKnownHostsFile ${kh}/%k`],
      identityFiles: [path.join(keys, "%k")],
    });
    const other = path.join(lab.dir, "k_alias_other_key");
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    const otherLine = (await readFile(`${other}.pub`, "utf8")).split(" ").slice(0, 2).join(" ");
    await writeFile(path.join(kh, "k-alias"), `[${server.address}]:${server.port} ${otherLine}\n`);
    const error = await rejection(lab.transport("k-alias", { acceptNewHostKey: true }).exec({ command: { argv: ["true"] } }));
    expect(error.change).toBe("changed");
    expect(error.message).toContain(`${path.join(kh, "k-alias")}:1`);
    await expectNothingSent(server);
    await writeFile(path.join(kh, "k-alias"), `${server.knownHostsLines().join("\n")}\n`);
    expect((await lab.transport("k-alias").exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
  });

  it("reads a 2,000-line hashed known_hosts once per login (a FIFO gives its content once)", async () => {
    const server = await lab.startHost("fifo", { known: false });
    const plain = path.join(lab.dir, "known_hosts_2000");
    const others = server.knownHostsLines().map((l) => l.split(" ").slice(1).join(" "));
    const lines = Array.from({ length: 2000 }, (_, i) => `host-${i}.example ${others[i % others.length]}`);
    lines.splice(1234, 0, ...server.knownHostsLines());
    await writeFile(plain, `${lines.join("\n")}\n`);
    await execa("ssh-keygen", ["-H", "-f", plain]);
    const hashed = await readFile(plain, "utf8");
    expect(hashed.match(/^\|1\|/gm)).toHaveLength(2000 + server.knownHostsLines().length);
    const fifo = path.join(lab.dir, "known_hosts_fifo");
    await execa("mkfifo", [fifo]);
    const writing = writeFile(fifo, hashed);
    try {
      const ssh = lab.transport("fifo", { configFile: await configWithKnownHosts(fifo) });
      // A second read would wait for a writer that never comes: the deadline would fire.
      expect((await ssh.exec({ command: { argv: ["true"] }, timeoutMs: 10_000 })).exitCode).toBe(0);
      await writing;
    } finally {
      // Releases a reader still waiting on the FIFO (only when the test failed); never waits for one.
      await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).then(
        (handle) => handle.close(),
        () => undefined,
      );
    }
  });

  it("a large hashed known_hosts: a later login finds the host through the cache, and a revocation or a changed key written since is refused all the same", async () => {
    const server = await lab.startHost("cached", { known: false });
    const name = `[${server.address}]:${server.port}`;
    const others = server.knownHostsLines().map((l) => l.split(" ").slice(1).join(" "));
    const lines = Array.from({ length: 600 }, (_, i) => `host-${i}.example ${others[i % others.length]}`);
    lines.splice(321, 0, ...server.knownHostsLines());
    const file = path.join(lab.dir, "known_hosts_cached");
    await writeFile(file, `${lines.join("\n")}\n`);
    await execa("ssh-keygen", ["-H", "-f", file]);
    const hashed = await readFile(file, "utf8");
    const configFile = await configWithKnownHosts(file);
    const cache = KnownHostsCache.forEnv(lab.env);
    const entries = async () => (await readdir(cache?.dir ?? "/nonexistent").catch(() => [])).sort();
    const before = await entries();
    const run = (options: { acceptNewHostKey?: boolean } = {}) =>
      lab.transport("cached", { configFile, ...options }).exec({ command: { argv: ["true"] }, timeoutMs: 10_000 });

    expect((await run()).exitCode).toBe(0);
    const added = (await entries()).filter((e) => !before.includes(e));
    expect(added).toHaveLength(1);
    const entry = path.join(cache?.dir ?? "", added[0] ?? "");
    const written = await stat(entry);
    expect((await run()).exitCode).toBe(0);
    // Read, not written again: the second login took the host's place from the cache.
    expect((await stat(entry)).mtimeMs).toBe(written.mtimeMs);

    const revocations = others.map((key) => `@revoked ${hashHostName(name, randomBytes(20))} ${key}`);
    await writeFile(file, `${hashed}${revocations.join("\n")}\n`);
    expect((await rejection(run({ acceptNewHostKey: true }))).change).toBe("revoked");

    const replaced = path.join(lab.dir, "other_cached_key");
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", replaced]);
    const replacement = (await readFile(`${replaced}.pub`, "utf8")).split(" ").slice(0, 2).join(" ");
    const changed = hashed.replace(/^(\|1\|\S+) (\S+ \S+)$/gm, (line, field: string) =>
      hashHostName(name, Buffer.from(field.slice(3, 31), "base64")) === field ? `${field} ${replacement}` : line,
    );
    expect(changed).not.toBe(hashed);
    await writeFile(file, changed);
    expect((await rejection(run({ acceptNewHostKey: true }))).change).toBe("changed");
    expect(await readFile(file, "utf8")).toBe(changed);
  });

  it("a key known for the same address on another port is not this server's", async () => {
    const first = await lab.startHost("port-a");
    const second = await lab.startHost("port-b", { known: false, sshd: { address: first.address } });
    expect(second.port).not.toBe(first.port);
    const error = await rejection(lab.transport("port-b").exec({ command: { argv: ["true"] } }));
    expect(error.change).toBe("unknown");
    await expectNothingSent(second);
  });
});
