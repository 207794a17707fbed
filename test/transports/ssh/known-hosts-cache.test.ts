import { randomBytes } from "node:crypto";
import { chmod, chown, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HostKey, KnownHosts } from "../../../src/transports/ssh/known-hosts.js";
import { KnownHostsCache } from "../../../src/transports/ssh/known-hosts-cache.js";
import { findEntries, hashHostName } from "../../../src/transports/ssh/known-hosts-parse.js";

let dir: string;
const keys: (HostKey & { line: string })[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recover-kh-cache-"));
  for (let i = 0; i < 4; i++) {
    const file = join(dir, `key_${i}`);
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
    const [type = "", base64 = ""] = (await readFile(`${file}.pub`, "utf8")).split(" ");
    keys.push({ type, data: Buffer.from(base64, "base64"), line: `${type} ${base64}` });
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const hashed = (name: string) => hashHostName(name, randomBytes(20));
const [ed1, ed2, ed3, other] = [0, 1, 2, 3].map((i) => () => keys[i] as HostKey & { line: string });

/** 400 hashed lines of other hosts (some 50 KB, so the cache covers the file) around `host` lines. */
function bigFile(host: string[]): string {
  const lines = Array.from({ length: 400 }, (_, i) => `${hashed(`node-${i}.example`)} ${other().line}`);
  lines.splice(250, 0, ...host);
  return `${lines.join("\n")}\n`;
}

let files = 0;
async function knownHostsFile(text: string): Promise<string> {
  const file = join(dir, `known_hosts_${files++}`);
  await writeFile(file, text);
  return file;
}

function freshCache(): KnownHostsCache {
  return new KnownHostsCache(join(dir, `cache_${files++}`));
}

const entryFiles = async (cache: KnownHostsCache) => (await readdir(cache.dir).catch(() => [])).map((n) => join(cache.dir, n));

async function onlyEntry(cache: KnownHostsCache): Promise<string> {
  const entries = await entryFiles(cache);
  expect(entries).toHaveLength(1);
  return entries[0] as string;
}

const verdict = async (file: string, cache: KnownHostsCache | undefined, key: HostKey, host = "k3s1", port = 22) =>
  (await KnownHosts.load([file], cache)).check(host, port, key);

describe("the known_hosts cache", () => {
  it("gives the lines ssh-keygen -lF finds, when it misses and when it hits, for every kind of line", async () => {
    const file = await knownHostsFile(
      bigFile([
        `${hashed("k3s1")} ${ed1().line}`,
        `  ${hashed("[k3s1]:2222")}\t${ed2().line} comment\r`,
        `@revoked ${hashed("k3s1")} ${ed3().line}`,
        `@cert-authority *.lab ${ed2().line}`,
        `k3s2,!bad.lab ${ed1().line}`,
        "# a comment naming k3s1",
        "",
        `k3s1 ssh-ed25519 !!!notbase64`,
        `${hashed("k3s1")} ${ed1().line}xx`,
      ]),
    );
    const cache = freshCache();
    const names = ["k3s1", "[k3s1]:2222", "k3s2", "x.lab", "bad.lab", "node-7.example", "nothing"];
    const lines = (entries: { line: number }[]) => entries.map((e) => e.line);
    for (const name of names) {
      const { stdout } = await execa("ssh-keygen", ["-l", "-F", name, "-f", file], { reject: false });
      const sshKeygen = [...stdout.matchAll(/^# Host \S+ found: line (\d+)/gm)].map((m) => Number(m[1]));
      const uncached = await findEntries([file], name);
      expect(lines(uncached), name).toEqual(sshKeygen);
      // Twice: the first load fills the cache, the second reads it.
      for (const pass of ["miss", "hit"]) {
        const known = await KnownHosts.load([file], cache);
        const found = (known as unknown as { lookup(n: string): { entries: unknown[]; unreadable: unknown[] } }).lookup(name);
        expect(found.entries, `${name} ${pass}`).toEqual(uncached);
      }
    }
    expect(await entryFiles(cache)).toHaveLength(names.length);
    // The lines naming k3s1 that cannot be read still keep it from looking unknown, from the cache too.
    expect(await verdict(file, cache, other())).toMatchObject({ status: "changed", line: 251 });
    expect(await verdict(file, cache, ed3())).toMatchObject({ status: "revoked", line: 253 });
  });

  it("never uses an entry about other bytes: a line added or a key changed is read afresh, whatever the mtime", async () => {
    const cache = freshCache();
    const text = bigFile([`${hashed("k3s1")} ${ed1().line}`]);
    const file = await knownHostsFile(text);
    expect(await verdict(file, cache, ed1())).toMatchObject({ status: "match" });
    const { mtime } = await stat(file);
    // A revocation of that very key, appended: the cached fields still verify, but are about other bytes.
    await writeFile(file, `${text}@revoked ${hashed("k3s1")} ${ed1().line}\n`);
    await utimes(file, mtime, mtime);
    expect(await verdict(file, cache, ed1())).toMatchObject({ status: "revoked", line: 402 });
    // The key replaced by another one in place (same length, same offsets).
    await writeFile(file, text.replace(ed1().line, ed2().line));
    await utimes(file, mtime, mtime);
    expect(await verdict(file, cache, ed1())).toMatchObject({ status: "changed", line: 251 });
    // And back: the first entry is still right for the first bytes.
    await writeFile(file, text);
    expect(await verdict(file, cache, ed1())).toMatchObject({ status: "match", line: 251 });
    expect(await entryFiles(cache)).toHaveLength(3);
  });

  it("ignores an entry that someone else owns or may write, a link, and an entry for another name or other bytes", async () => {
    const file = await knownHostsFile(bigFile([`${hashed("k3s1")} ${ed1().line}`]));
    const cache = freshCache();
    expect(await verdict(file, cache, ed2())).toMatchObject({ status: "changed" });
    const entry = await onlyEntry(cache);
    const real = await readFile(entry, "utf8");
    // A forged entry saying k3s1 is nowhere in the file would make the changed key look unknown.
    const forged = JSON.stringify({ ...JSON.parse(real), at: [] });
    const tampered: [string, () => Promise<void>][] = [
      ["writable by others", () => writeFile(entry, forged, { mode: 0o666 }).then(() => chmod(entry, 0o666))],
      ["writable by the group", () => writeFile(entry, forged).then(() => chmod(entry, 0o620))],
      ["owned by another user", () => writeFile(entry, forged, { mode: 0o600 }).then(() => chown(entry, 65534, 65534))],
      [
        "a link to a forged file",
        async () => {
          await writeFile(`${entry}.forged`, forged, { mode: 0o600 });
          await symlink(`${entry}.forged`, entry);
        },
      ],
      ["for other bytes", () => writeFile(entry, JSON.stringify({ ...JSON.parse(forged), digest: "0".repeat(64) }), { mode: 0o600 })],
      ["for another name", () => writeFile(entry, JSON.stringify({ ...JSON.parse(forged), name: "k3s9" }), { mode: 0o600 })],
      ["not JSON", () => writeFile(entry, "{", { mode: 0o600 })],
      ["offsets out of order", () => writeFile(entry, JSON.stringify({ ...JSON.parse(real), at: [5, 5] }), { mode: 0o600 })],
    ];
    for (const [why, tamper] of tampered) {
      await rm(entry, { force: true });
      await tamper();
      expect(await verdict(file, cache, ed2()), why).toMatchObject({ status: "changed", line: 251 });
      expect(await verdict(file, cache, ed1()), why).toMatchObject({ status: "match", line: 251 });
    }
    await rm(`${entry}.forged`);
  });

  it("checks every field an entry names: one that is not the host's discards the entry, which is written anew", async () => {
    const text = bigFile([`${hashed("k3s1")} ${ed1().line}`]);
    const file = await knownHostsFile(text);
    const cache = freshCache();
    expect(await verdict(file, cache, ed1())).toMatchObject({ status: "match", line: 251 });
    const entry = await onlyEntry(cache);
    const real = JSON.parse(await readFile(entry, "utf8"));
    // Another host's hashed field, owned and written by this user: the HMAC says it is not k3s1's.
    const someoneElse = text.indexOf("|1|");
    await writeFile(entry, JSON.stringify({ ...real, at: [someoneElse] }), { mode: 0o600 });
    expect(await verdict(file, cache, ed1())).toMatchObject({ status: "match", line: 251 });
    expect(JSON.parse(await readFile(entry, "utf8"))).toEqual(real);
  });

  it("is kept only for large files with hashed lines, under $XDG_CACHE_HOME/recover, and is off with RECOVER_CACHE=off", async () => {
    const cache = freshCache();
    const small = await knownHostsFile(`${hashed("k3s1")} ${ed1().line}\n`);
    const plain = await knownHostsFile(
      `${Array.from({ length: 400 }, (_, i) => `node-${i} ${other().line}`).join("\n")}\nk3s1 ${ed1().line}\n`,
    );
    expect(await verdict(small, cache, ed1())).toMatchObject({ status: "match" });
    expect(await verdict(plain, cache, ed1())).toMatchObject({ status: "match", line: 401 });
    expect(await entryFiles(cache)).toEqual([]);
    expect(KnownHostsCache.forEnv({ XDG_CACHE_HOME: "/x", HOME: "/h" })?.dir).toBe("/x/recover/known-hosts");
    expect(KnownHostsCache.forEnv({ HOME: "/h" })?.dir).toBe("/h/.cache/recover/known-hosts");
    expect(KnownHostsCache.forEnv({ HOME: "/h", RECOVER_CACHE: "off" })).toBeUndefined();
    expect(KnownHostsCache.forEnv({})).toBeUndefined();
  });

  it("keeps at most 256 entries: a write past that removes the oldest", async () => {
    const file = await knownHostsFile(bigFile([`${hashed("k3s1")} ${ed1().line}`]));
    const cache = freshCache();
    const known = await KnownHosts.load([file], cache);
    for (let i = 0; i < 256; i++) known.keyTypes(`host-${i}`, 22);
    expect(await entryFiles(cache)).toHaveLength(256);
    const old = new Date(Date.now() - 60_000);
    for (const entry of await entryFiles(cache)) await utimes(entry, old, old);
    expect(known.keyTypes("k3s1", 22)).toEqual(["ssh-ed25519"]);
    const left = await entryFiles(cache);
    expect(left).toHaveLength(192);
    const newest = await Promise.all(left.map(async (e) => (await stat(e)).mtimeMs));
    expect(newest.filter((t) => t > old.getTime())).toHaveLength(1);
  });

  it("writes entries only this user can write, in a directory only this user can enter", async () => {
    const file = await knownHostsFile(bigFile([`${hashed("k3s1")} ${ed1().line}`]));
    const cache = freshCache();
    await verdict(file, cache, ed1());
    expect((await stat(cache.dir)).mode & 0o777).toBe(0o700);
    expect((await stat(await onlyEntry(cache))).mode & 0o777).toBe(0o600);
  });
});
