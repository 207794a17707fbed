import { appendFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { Server } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addKnownHost,
  checkHostKey,
  fingerprint,
  type HostKey,
  type HostKeyVerdict,
  knownHostsLookup,
  knownKeyTypes,
} from "../../../src/transports/ssh/known-hosts.js";
import { findEntries, knownHostsName, readKnownHosts } from "../../../src/transports/ssh/known-hosts-parse.js";

const KEY_SPECS = {
  ed1: ["-t", "ed25519"],
  ed2: ["-t", "ed25519"],
  revokedEd: ["-t", "ed25519"],
  ec256: ["-t", "ecdsa", "-b", "256"],
  ec384: ["-t", "ecdsa", "-b", "384"],
  ec521: ["-t", "ecdsa", "-b", "521"],
  rsa: ["-t", "rsa", "-b", "2048"],
} as const;
type KeyName = keyof typeof KEY_SPECS;

let dir: string;
const keys = {} as Record<KeyName, HostKey & { line: string; pubFile: string; privateKey: Buffer }>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recover-knownhosts-"));
  await Promise.all(
    (Object.keys(KEY_SPECS) as KeyName[]).map(async (name) => {
      const file = join(dir, `key_${name}`);
      await execa("ssh-keygen", ["-q", ...KEY_SPECS[name], "-N", "", "-C", `test-${name}`, "-f", file]);
      const [type = "", base64 = ""] = (await readFile(`${file}.pub`, "utf8")).trim().split(" ");
      keys[name] = {
        type,
        data: Buffer.from(base64, "base64"),
        line: `${type} ${base64}`,
        pubFile: `${file}.pub`,
        privateKey: await readFile(file),
      };
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function knownHosts(name: string, lines: string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `${lines.join("\n")}\n`);
  return file;
}

describe("fingerprint", () => {
  it("equals ssh-keygen -lf for every key type", async () => {
    for (const name of Object.keys(KEY_SPECS) as KeyName[]) {
      const { stdout } = await execa("ssh-keygen", ["-lf", keys[name].pubFile]);
      expect(fingerprint(keys[name]), name).toBe(stdout.split(" ")[1]);
    }
  });
});

describe("which lines apply to a host: the same as ssh-keygen -lF", () => {
  let plain: string;
  let hashed: string;
  beforeAll(async () => {
    const b64 = (name: KeyName) => keys[name].line.split(" ")[1];
    const valid = [
      "# recover test known_hosts",
      `k3s1,10.20.0.11 ${keys.ed1.line} a comment`,
      `[k3s1]:2222 ${keys.ec256.line}`,
      `[10.20.0.12]:2222,k3s2 ${keys.ed2.line}`,
      `*.lab,!bad.lab ${keys.ec384.line}`,
      `?.one ${keys.rsa.line}`,
      `K3S3.Example ${keys.ed1.line}`,
      `@revoked * ${keys.revokedEd.line}`,
      `@cert-authority *.ca ${keys.ed1.line}`,
      "   ",
      `\tk3s4\t${keys.rsa.line.replace(" ", "\t ")}`,
      `[*.wild]:* ${keys.ec256.line}`,
      `!bad.neg,*.neg ${keys.ec521.line}`,
    ];
    // ssh-keygen -H refuses a file with invalid lines, so they are appended after hashing.
    const invalid = [
      `h1 ssh-ed25519 !!!notbase64`,
      `h1 ssh-rsa ${b64("ed1")}`,
      `@unknown h1 ${keys.ed1.line}`,
      "h1",
      `@revoked @revoked h1 ${keys.ed1.line}`,
      `h1 ecdsa-sha2-nistp256 ${b64("ed1")}`,
      `h1 ${keys.ed1.line}xx`,
      `h1 ${keys.ed1.line}===`,
      `h1 ${keys.ed1.line} the only valid h1 line`,
    ];
    hashed = await knownHosts("corpus-hashed", valid);
    await execa("ssh-keygen", ["-H", "-f", hashed]);
    expect(await readFile(hashed, "utf8")).toMatch(/^\|1\|/m);
    await appendFile(hashed, `${invalid.join("\n")}\n`);
    plain = await knownHosts("corpus", [...valid, ...invalid]);
  });

  const queries: [string, number][] = [
    ["k3s1", 22],
    ["10.20.0.11", 22],
    ["k3s1", 2222],
    ["k3s1", 2200],
    ["10.20.0.12", 2222],
    ["k3s2", 22],
    ["k3s2", 2222],
    ["foo.lab", 22],
    ["bad.lab", 22],
    ["a.one", 22],
    ["ab.one", 22],
    ["k3s3.example", 22],
    ["x.ca", 22],
    ["k3s4", 22],
    ["a.wild", 2200],
    ["a.wild", 22],
    ["good.neg", 22],
    ["bad.neg", 22],
    ["h1", 22],
    ["nothing", 22],
  ];

  async function sshKeygenLines(file: string, name: string): Promise<string[]> {
    const { stdout } = await execa("ssh-keygen", ["-l", "-F", name, "-f", file], { reject: false });
    return [...stdout.matchAll(/^# Host \S+ found: line (\d+) ?(\S*)/gm)].map((m) => `${m[1]}${m[2] ? ` ${m[2]}` : ""}`);
  }

  it.each(queries)("%s port %d", async (host, port) => {
    const name = knownHostsName(host, port);
    for (const file of [plain, hashed]) {
      const ours = (await findEntries([file], name)).map(
        (e) => `${e.line}${e.marker === "revoked" ? " REVOKED" : e.marker === "cert-authority" ? " CA" : ""}`,
      );
      expect(ours, `${name} in ${file}`).toEqual(await sshKeygenLines(file, name));
    }
  });

  it("finds hashed entries by HMAC, not by text", async () => {
    const entries = await findEntries([hashed], "k3s1");
    expect(entries.some((e) => e.hashed && e.marker === "none")).toBe(true);
    expect(await checkHostKey([hashed], "k3s1", 22, keys.ed1)).toMatchObject({ status: "match" });
    expect(await checkHostKey([hashed], "k3s1", 2222, keys.ec256)).toMatchObject({ status: "match" });
  });
});

describe("checkHostKey verdicts", () => {
  it("matches, and names the first matching line across user then global files", async () => {
    const user = await knownHosts("v-user", [`other ${keys.ed1.line}`, `k3s1 ${keys.ed2.line}`]);
    const global = await knownHosts("v-global", [`k3s1 ${keys.ed1.line}`]);
    expect(await checkHostKey([join(dir, "missing"), user, global], "K3S1", 22, keys.ed1)).toEqual({
      status: "match",
      file: global,
      line: 1,
    });
  });

  it("reads a file once per content in a process: the same bytes give the same source, changed bytes a new verdict", async () => {
    const file = await knownHosts("v-reread", [`k3s1 ${keys.ed1.line}`]);
    const [first] = await readKnownHosts([file]);
    const [again] = await readKnownHosts([file]);
    expect(again).toBe(first);
    expect(await checkHostKey([file], "k3s1", 22, keys.ed1)).toMatchObject({ status: "match" });
    // Same length, other key: only the bytes tell it apart.
    await knownHosts("v-reread", [`k3s1 ${keys.ed2.line}`]);
    expect(await checkHostKey([file], "k3s1", 22, keys.ed1)).toMatchObject({ status: "changed", file, line: 1 });
    expect(await checkHostKey([file], "k3s1", 22, keys.ed2)).toMatchObject({ status: "match", file, line: 1 });
  });

  it("says unknown when nothing is known for the host", async () => {
    const file = await knownHosts("v-unknown", [`k3s1 ${keys.ed1.line}`, `@cert-authority * ${keys.ed2.line}`]);
    expect(await checkHostKey([file], "k3s2", 22, keys.ed1)).toEqual({ status: "unknown", otherTypes: [] });
    expect(await checkHostKey([file], "k3s1", 2222, keys.ed2)).toEqual({ status: "unknown", otherTypes: [] });
    expect(await checkHostKey([join(dir, "nope"), join(dir, "no-dir", "nope")], "k3s1", 22, keys.ed1)).toEqual({
      status: "unknown",
      otherTypes: [],
    });
  });

  it("falls back to the bare host only when nothing at all is recorded for [host]:port", async () => {
    const bareOnly = await knownHosts("v-bare", [`k3s1 ${keys.ed1.line}`]);
    expect(await checkHostKey([bareOnly], "k3s1", 2222, keys.ed1)).toEqual({ status: "match", file: bareOnly, line: 1 });
    expect(await knownKeyTypes([bareOnly], "k3s1", 2222)).toEqual(["ssh-ed25519"]);
    const withPort = await knownHosts("v-port", [`k3s1 ${keys.ed1.line}`, `[k3s1]:2222 ${keys.ed2.line}`]);
    expect(await checkHostKey([withPort], "k3s1", 2222, keys.ed1)).toEqual({
      status: "changed",
      file: withPort,
      line: 2,
      knownType: "ssh-ed25519",
    });
  });

  it("says changed for a different key, naming the last conflicting entry and its type (OpenSSH's Offending key)", async () => {
    const file = await knownHosts("v-changed", [`k3s1 ${keys.ed2.line}`, `k3s1 ${keys.ec256.line}`, `k3s9 ${keys.ed1.line}`]);
    expect(await checkHostKey([file], "k3s1", 22, keys.ed1)).toEqual({
      status: "changed",
      file,
      line: 2,
      knownType: "ecdsa-sha2-nistp256",
    });
  });

  it("says revoked when the key is @revoked, even with a matching entry", async () => {
    const file = await knownHosts("v-revoked", [`k3s1 ${keys.revokedEd.line}`, `@revoked *.lab,k3s1 ${keys.revokedEd.line}`]);
    expect(await checkHostKey([file], "k3s1", 22, keys.revokedEd)).toEqual({ status: "revoked", file, line: 2 });
    expect(await checkHostKey([file], "k3s1", 22, keys.ed1)).toMatchObject({ status: "changed" });
  });

  it("says unreadable, never unknown, when a line naming the host cannot be read", async () => {
    const b64 = (name: KeyName) => keys[name].line.split(" ")[1] ?? "";
    const truncated = await knownHosts("v-damaged", [`k3s1 ssh-ed25519 ${b64("ed2").slice(0, -4)}`, `k3s9 ${keys.ed1.line}`]);
    expect(await checkHostKey([truncated], "k3s1", 22, keys.ed1)).toEqual({
      status: "unreadable",
      file: truncated,
      line: 1,
      why: "the ssh-ed25519 key is malformed",
    });
    const mistyped = await knownHosts("v-mistyped", [`@revokd k3s1 ${keys.ed2.line}`]);
    expect(await checkHostKey([mistyped], "k3s1", 22, keys.ed1)).toMatchObject({ status: "unreadable", why: "unknown marker @revokd" });
    // A valid line holding the key still matches, as in ssh; a valid different key is still "changed".
    const mixed = await knownHosts("v-mixed", [`k3s1 ssh-ed25519 !!!`, `k3s1 ${keys.ed1.line}`]);
    expect(await checkHostKey([mixed], "k3s1", 22, keys.ed1)).toEqual({ status: "match", file: mixed, line: 2 });
    expect(await checkHostKey([mixed], "k3s1", 22, keys.ed2)).toMatchObject({ status: "changed", line: 2 });
    // A revocation that cannot be read may be of this very key.
    const badRevocation = await knownHosts("v-bad-revoked", [`k3s1 ${keys.ed1.line}`, `@revoked k3s1 ssh-ed25519 ${b64("ed1")}x`]);
    expect(await checkHostKey([badRevocation], "k3s1", 22, keys.ed1)).toMatchObject({ status: "unreadable", line: 2 });
  });

  it("compares blobs, so an RSA key reported as rsa-sha2-512 still matches its ssh-rsa entry", async () => {
    const file = await knownHosts("v-rsa", [`k3s1 ${keys.rsa.line}`]);
    expect(await checkHostKey([file], "k3s1", 22, { type: "rsa-sha2-512", data: keys.rsa.data })).toMatchObject({ status: "match" });
  });

  it("looks a HostKeyAlias up without a port, like ssh", () => {
    expect(knownHostsLookup({ hostName: "10.0.0.1", port: 2222, hostKeyAlias: "k3s1" })).toEqual({ host: "k3s1", port: 22 });
    expect(knownHostsLookup({ hostName: "10.0.0.1", port: 2222 })).toEqual({ host: "10.0.0.1", port: 2222 });
  });
});

describe("knownKeyTypes", () => {
  it("lists the host's key types in OpenSSH's preference order, without revoked or CA lines", async () => {
    const file = await knownHosts("types", [
      `k3s1 ${keys.rsa.line}`,
      `k3s1,k3s2 ${keys.ec384.line}`,
      `*.x ${keys.ed2.line}`,
      `k3s1 ${keys.ed1.line}`,
      `@revoked k3s1 ${keys.ec256.line}`,
      `@cert-authority k3s1 ${keys.ec521.line}`,
      `[k3s1]:2222 ${keys.ec256.line}`,
    ]);
    expect(await knownKeyTypes([file], "k3s1", 22)).toEqual(["ssh-ed25519", "ecdsa-sha2-nistp384", "ssh-rsa"]);
    expect(await knownKeyTypes([file], "k3s1", 2222)).toEqual(["ecdsa-sha2-nistp256"]);
    expect(await knownKeyTypes([file], "nope", 22)).toEqual([]);
  });
});

describe("addKnownHost", () => {
  it("creates the directory 0700 and the file 0600, and writes what ssh-keygen -F finds", async () => {
    const file = join(dir, "fresh", "nested", "known_hosts");
    await addKnownHost(file, "K3S1", 22, keys.ed1);
    await addKnownHost(file, "k3s1", 2222, keys.ec256);
    expect((await stat(join(dir, "fresh"))).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, "utf8")).toBe(`k3s1 ${keys.ed1.line}\n[k3s1]:2222 ${keys.ec256.line}\n`);
    const { stdout } = await execa("ssh-keygen", ["-F", "[k3s1]:2222", "-f", file]);
    expect(stdout).toContain("found: line 2");
  });

  it("hashes the name when asked, verifiably by ssh-keygen, and starts a new line after a file without one", async () => {
    const file = join(dir, "no-newline");
    await writeFile(file, `k3s9 ${keys.ed2.line}`);
    await addKnownHost(file, "k3s1", 2222, keys.rsa, { hash: true });
    const lines = (await readFile(file, "utf8")).split("\n");
    expect(lines[0]).toBe(`k3s9 ${keys.ed2.line}`);
    expect(lines[1]).toMatch(/^\|1\|[A-Za-z0-9+/=]{28}\|[A-Za-z0-9+/=]{28} ssh-rsa /);
    expect(lines[1]).not.toContain("k3s1");
    const { stdout } = await execa("ssh-keygen", ["-F", "[k3s1]:2222", "-f", file]);
    expect(stdout).toContain("found: line 2");
    expect(await checkHostKey([file], "k3s1", 2222, keys.rsa)).toEqual({ status: "match", file, line: 2 });
  });
});

/**
 * The real OpenSSH client against a real SSH server (ssh2's) on loopback: ssh's own verdict on
 * the key the server presents must be ours.
 */
describe("agrees with the OpenSSH client connecting to a server", () => {
  const ADDRESS = "127.0.0.61";
  const servers: Server[] = [];
  const ports = {} as Record<"ed1" | "ec256" | "rsa", number>;

  beforeAll(async () => {
    for (const name of ["ed1", "ec256", "rsa"] as const) {
      const server = new Server({ hostKeys: [keys[name].privateKey] }, (client) => {
        client.on("authentication", (ctx) => ctx.reject());
        client.on("error", () => {});
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, ADDRESS, resolve));
      ports[name] = (server.address() as AddressInfo).port;
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  /** What ssh decides, in our verdict's terms. */
  async function sshVerdict(port: number, files: string[], hostKeyAlias?: string): Promise<HostKeyVerdict> {
    const args = ["-v", "-F", "none", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10"];
    args.push("-o", `UserKnownHostsFile=${files.join(" ")}`, "-o", "GlobalKnownHostsFile=none", "-o", "CheckHostIP=no");
    if (hostKeyAlias) args.push("-o", `HostKeyAlias=${hostKeyAlias}`);
    const { stderr } = await execa("ssh", [...args, "-p", String(port), ADDRESS, "true"], {
      reject: false,
      stdin: "ignore",
      timeout: 20_000,
    });
    const found = /Found key in (\S+):(\d+)/.exec(stderr);
    if (found) return { status: "match", file: found[1] ?? "", line: Number(found[2]) };
    const offending = /Offending (\S+) key in (\S+):(\d+)/.exec(stderr);
    if (offending) return { status: "changed", file: offending[2] ?? "", line: Number(offending[3]), knownType: offending[1] ?? "" };
    if (/is marked as revoked/.test(stderr)) return { status: "revoked", file: "", line: 0 };
    if (/No \S+ host key is known/.test(stderr)) return { status: "unknown", otherTypes: [] };
    throw new Error(`unrecognised ssh outcome:\n${stderr}`);
  }

  const ALGO_NAMES: Record<string, string> = { "ssh-ed25519": "ED25519", "ecdsa-sha2-nistp256": "ECDSA", "ssh-rsa": "RSA" };

  async function expectAgreement(server: "ed1" | "ec256" | "rsa", lines: (port: number) => string[], hostKeyAlias?: string) {
    const port = ports[server];
    const file = await knownHosts(`client-${server}-${Math.random().toString(36).slice(2)}`, lines(port));
    const expected = await sshVerdict(port, [file], hostKeyAlias);
    const lookup = knownHostsLookup({ hostName: ADDRESS, port, hostKeyAlias });
    const ours = await checkHostKey([file], lookup.host, lookup.port, keys[server]);
    if (ours.status === "changed") ours.knownType = ALGO_NAMES[ours.knownType] ?? ours.knownType;
    if (ours.status === "revoked") Object.assign(ours, { file: "", line: 0 });
    expect(ours).toEqual(expected);
    return ours.status;
  }

  const at = (port: number) => `[${ADDRESS}]:${port}`;

  it("match: plain [host]:port, wildcard, via alias, later line, bare host when nothing has the port", async () => {
    expect(await expectAgreement("ed1", (p) => [`${at(p)} ${keys.ed1.line}`])).toBe("match");
    expect(await expectAgreement("ed1", () => [`other ${keys.ed1.line}`, `${ADDRESS} ${keys.ed1.line}`])).toBe("match");
    expect(await expectAgreement("ec256", (p) => [`${at(p)} ${keys.ed2.line}`, `[127.0.0.*]:${p} ${keys.ec256.line}`])).toBe("match");
    expect(await expectAgreement("rsa", () => [`other ${keys.ed1.line}`, `*.lab,k3s1.lab ${keys.rsa.line}`], "k3s1.lab")).toBe("match");
  });

  it("unknown: nothing for this host (a negated pattern, a different key for the bare host)", async () => {
    expect(await expectAgreement("ed1", () => [`${ADDRESS} ${keys.ed2.line}`])).toBe("unknown");
    expect(await expectAgreement("ec256", () => [`*.lab,!k3s1.lab ${keys.ec256.line}`], "k3s1.lab")).toBe("unknown");
  });

  it("changed: a different key of the same type, or only keys of another type", async () => {
    expect(await expectAgreement("ed1", (p) => [`${at(p)} ${keys.ed2.line}`])).toBe("changed");
    expect(await expectAgreement("ed1", (p) => [`${at(p)} ${keys.ed2.line}`, `* ${keys.ed2.line}`])).toBe("changed");
    expect(await expectAgreement("ed1", (p) => [`${at(p)} ${keys.ec256.line}`])).toBe("changed");
    expect(await expectAgreement("rsa", (p) => [`${at(p)} ${keys.ec256.line}`, `${at(p)} ${keys.ed1.line}`])).toBe("changed");
  });

  it("CRLF line endings and trailing blanks: the same verdicts as ssh", async () => {
    expect(await expectAgreement("ed1", (p) => [`${at(p)} ${keys.ed1.line}\r`])).toBe("match");
    expect(await expectAgreement("ed1", (p) => [`${at(p)} ${keys.ed1.line} \t\r`])).toBe("match");
    expect(await expectAgreement("ed1", (p) => [`${at(p)} ${keys.ed2.line}\r`])).toBe("changed");
    expect(await expectAgreement("ec256", (p) => [`${at(p)} ${keys.ec256.line} comment\r`, `* ${keys.ed2.line}\r`])).toBe("match");
  });

  it("revoked: wins over a matching line", async () => {
    expect(await expectAgreement("ed1", (p) => [`${at(p)} ${keys.ed1.line}`, `@revoked * ${keys.ed1.line}`])).toBe("revoked");
  });

  it("accepts what addKnownHost wrote, hashed and with a port", async () => {
    const file = join(dir, "added-by-recover");
    await appendFile(file, "");
    await addKnownHost(file, ADDRESS, ports.ec256, keys.ec256, { hash: true });
    expect(await sshVerdict(ports.ec256, [file])).toEqual({ status: "match", file, line: 1 });
  });
});

describe("files that cannot be read", () => {
  it("throws for a known_hosts path that is a directory rather than ignoring it", async () => {
    const asDir = join(dir, "a-directory");
    await mkdir(asDir);
    await expect(checkHostKey([asDir], "k3s1", 22, keys.ed1)).rejects.toThrow();
  });
});
