import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { type ResolvedHost, type ResolveHostOptions, resolveHost } from "../../../src/transports/ssh/config.js";

// ssh -G expands ~ with the passwd home (not $HOME), so its paths are mapped onto the temp home.
const PW_HOME = userInfo().homedir;
const LOCAL_USER = userInfo().username;
const ENV: NodeJS.ProcessEnv = { ...process.env, AGENT_SOCK_VAR: "/run/agent/from-env.sock", KEYDIR: "/keys/from-env" };

let home: string;
let ssh: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "recover-sshconf-"));
  ssh = join(home, ".ssh");
  await mkdir(join(ssh, "conf.d"), { recursive: true, mode: 0o700 });
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Writes a config file under the temp home. */
async function config(name: string, text: string): Promise<string> {
  const file = join(home, name);
  await writeFile(file, text, { mode: 0o644 });
  return file;
}

interface SshRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runSsh(args: string[]): SshRun {
  const result = spawnSync("ssh", args, { env: { ...ENV, HOME: home }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const toHome = (path: string) => (path.startsWith(`${PW_HOME}/`) ? home + path.slice(PW_HOME.length) : path.replace(/^~\//, `${home}/`));

/** What `ssh -G` prints, turned into the ResolvedHost fields it covers. */
function sshG(
  configFile: string,
  destination: string,
  extra: string[] = [],
): Omit<ResolvedHost, "sources" | "alias" | "identityFiles"> & { rawIdentityFiles: string[] } {
  const run = runSsh(["-G", "-F", configFile, ...extra, destination]);
  if (run.code !== 0) throw new Error(`ssh -G ${destination} failed: ${run.stderr}`);
  const values = new Map<string, string[]>();
  for (const line of run.stdout.split("\n")) {
    const space = line.indexOf(" ");
    if (space === -1) continue;
    const key = line.slice(0, space);
    values.set(key, [...(values.get(key) ?? []), line.slice(space + 1)]);
  }
  const one = (key: string) => values.get(key)?.[0];
  const agent = one("identityagent");
  const seconds = (key: string) => {
    const v = one(key);
    return v === undefined || v === "none" || v === "0" ? undefined : Number(v) * 1000;
  };
  const files = (key: string, map: (p: string) => string) => {
    const v = one(key) ?? "none";
    return v === "none" ? [] : v.split(" ").map(map);
  };
  const strict = one("stricthostkeychecking");
  const result = {
    hostName: one("hostname") ?? "",
    user: one("user") ?? "",
    port: Number(one("port")),
    rawIdentityFiles: values.get("identityfile") ?? [],
    identitiesOnly: one("identitiesonly") === "yes",
    identityAgent:
      agent === undefined || agent === "SSH_AUTH_SOCK"
        ? undefined
        : agent.startsWith("$")
          ? (ENV[agent.slice(1)] ?? "none")
          : agent === "none"
            ? "none"
            : toHome(agent),
    proxyJump:
      one("proxyjump")
        ?.split(",")
        .map((hop) => hop.replace(/^ssh:\/\//, "")) ?? [],
    proxyCommand: one("proxycommand"),
    connectTimeoutMs: seconds("connecttimeout"),
    serverAliveIntervalMs: seconds("serveraliveinterval"),
    serverAliveCountMax: Number(one("serveralivecountmax")),
    userKnownHostsFiles: files("userknownhostsfile", toHome),
    globalKnownHostsFiles: files("globalknownhostsfile", (p) => p),
    strictHostKeyChecking: ({ true: "yes", false: "no" } as Record<string, string>)[strict ?? ""] ?? strict,
    hostKeyAlias: one("hostkeyalias"),
    hashKnownHosts: one("hashknownhosts") === "yes",
  } as Omit<ResolvedHost, "sources" | "alias" | "identityFiles"> & { rawIdentityFiles: string[] };
  for (const key of Object.keys(result) as (keyof typeof result)[]) if (result[key] === undefined) delete result[key];
  return result;
}

/** The identity files ssh really tries, fully expanded: `ssh -v` through a ProxyCommand that exits at once (no network). */
function sshIdentityFiles(configFile: string, destination: string): string[] {
  const run = runSsh(["-v", "-F", configFile, "-o", "ProxyCommand=true", "-o", "BatchMode=yes", destination, "true"]);
  return [...run.stderr.matchAll(/identity file (\S+) type/g)]
    .map((m) => m[1] ?? "")
    .filter((f) => !f.endsWith("-cert"))
    .map(toHome);
}

async function ours(configFile: string, destination: string, options: ResolveHostOptions = {}) {
  const { sources, alias, identityFiles, ...rest } = await resolveHost(destination, {
    configFile,
    home,
    localUser: LOCAL_USER,
    env: ENV,
    ...options,
  });
  return { resolved: { sources, alias, identityFiles }, comparable: rest };
}

/** Asserts resolveHost agrees with `ssh -G` on every field, identity files included. */
async function expectSameAsSsh(configFile: string, destination: string, options: { user?: string; port?: number } = {}) {
  const extra = [...(options.user ? ["-l", options.user] : []), ...(options.port ? ["-p", String(options.port)] : [])];
  const { rawIdentityFiles, ...expected } = sshG(configFile, destination, extra);
  const { resolved, comparable } = await ours(configFile, destination, options);
  expect(comparable, `${destination} in ${configFile}`).toEqual(expected);
  // ssh -G (9.2) prints IdentityFile unexpanded; those without tokens only need ~.
  if (rawIdentityFiles.every((f) => !/[%$]/.test(f))) expect(resolved.identityFiles).toEqual(rawIdentityFiles.map(toHome));
  return resolved;
}

const MAIN = `# recover lab hosts
IgnoreUnknown UseKeychain,AddKeysToAgentX
UseKeychain yes

Host k3s1
  HostName 10.20.0.11
  User root
  IdentityFile ~/.ssh/lab_ed25519
  IdentitiesOnly yes

Host k3s* !k3s9
  User admin
  Port 2222
  ProxyJump bastion
  IdentityFile ~/.ssh/k3s_%h_%r

Host bastion
  HostName Bastion.Example.NET
  User jump
  Port=2200

Host web? "db node"
  HostName %h.internal.example

Host *.lab
  HostName %h.example.
  StrictHostKeyChecking off

Host case1
  hOsTnAmE = case1.example
  USER=Someone   # trailing comment
  StrictHostKeyChecking accept-new
  ServerAliveInterval 1m30s
  ServerAliveCountMax 5
  ConnectTimeout 10
  UserKnownHostsFile ~/.ssh/known_lab %d/known_%h_%p /abs/%n_%r_%u
  GlobalKnownHostsFile /etc/lab_known /etc/lab_known2
  HashKnownHosts yes
  HostKeyAlias Lab-Case1
  IdentityAgent ~/.ssh/agent.%h.sock
  IdentityFile "~/.ssh/key with space"

Host nojump
  ProxyJump none
Host nojump chain
  ProxyJump a,b@c:2201,ssh://d@e:2202
  StrictHostKeyChecking yes
  UserKnownHostsFile none
  GlobalKnownHostsFile none
  IdentityAgent none

Host pc
  ProxyCommand ssh -W %h:%p bastion
  ProxyJump ignored.example
Host pj-then-pc
  ProxyJump first.example
  ProxyCommand nc %h %p
Host pcnone
  ProxyCommand none
  ProxyJump later.example

Host envagent
  IdentityAgent $AGENT_SOCK_VAR
Host unsetagent
  IdentityAgent $NO_SUCH_AGENT_VAR
Host defaultagent
  IdentityAgent SSH_AUTH_SOCK
  ConnectTimeout 0

Host m2
  HostName m2.real
Match host m2.real
  User matchedbyhost
Match originalhost m1 user ${LOCAL_USER}
  HostName m1.matched
Match user admin !host *.example,10.*
  ServerAliveInterval 30
Match localuser ${LOCAL_USER} originalhost local*
  Port 2022
Match !originalhost K3S1,nomatch* user nobody
  Port 1
Match all
  ServerAliveCountMax 7
Host *
  User fallback
  ConnectTimeout 5
`;

describe("resolveHost agrees with ssh -G", () => {
  let main: string;
  beforeAll(async () => {
    main = await config("main.conf", MAIN);
  });

  const aliases = [
    "k3s1",
    "k3s2",
    "k3s9",
    "K3S1",
    "bastion",
    "web1",
    "web12",
    "db",
    "node",
    "foo.lab",
    "case1",
    "nojump",
    "chain",
    "pc",
    "pj-then-pc",
    "pcnone",
    "envagent",
    "unsetagent",
    "defaultagent",
    "m1",
    "m2",
    "local-box",
    "nomatch1",
    "plain.example.org",
    "10.1.2.3",
    "ops@k3s2",
    "ssh://ops@k3s3:2300",
  ];
  for (const alias of aliases) {
    it(`resolves ${alias}`, async () => {
      await expectSameAsSsh(main, alias);
    });
  }

  it("lets the caller's user and port override the config, like ssh -l -p", async () => {
    const resolved = await expectSameAsSsh(main, "k3s2", { user: "ops", port: 2022 });
    expect(resolved.identityFiles).toEqual([`${home}/.ssh/k3s_k3s2_ops`]);
    await expectSameAsSsh(main, "ops@k3s2", { user: "override" });
    await expectSameAsSsh(main, "case1", { port: 8022 });
  });

  it("gives the operator's view of k3s1: address, user, key, no defaults", async () => {
    const k3s1 = await resolveHost("k3s1", { configFile: main, home, localUser: LOCAL_USER, env: ENV });
    expect(k3s1).toMatchObject({
      alias: "k3s1",
      hostName: "10.20.0.11",
      user: "root",
      port: 2222,
      identityFiles: [`${home}/.ssh/lab_ed25519`, `${home}/.ssh/k3s_10.20.0.11_root`],
      identitiesOnly: true,
      proxyJump: ["bastion"],
      sources: [main],
    });
  });

  it("expands %-tokens and ${VAR} in IdentityFile exactly as ssh does when it loads keys", async () => {
    const tokens = await config(
      "tokens.conf",
      `Host tok
  HostName Tok.Example
  User deploy
  Port 2201
  HostKeyAlias TokAlias
  IdentityFile ~/.ssh/%h_%r_%u_%%_%n_%p_%k
  IdentityFile %d/.ssh/%C
  IdentityFile /keys/%l_%L_%i
  IdentityFile \${KEYDIR}/id_%h
  IdentityFile ~/.ssh/%h_%r_%u_%%_%n_%p_%k
Host dflt
`,
    );
    for (const alias of ["tok", "dflt"]) {
      const { resolved } = await ours(tokens, alias);
      const expected = sshIdentityFiles(tokens, alias);
      expect(expected.length).toBeGreaterThan(2);
      expect(resolved.identityFiles, alias).toEqual(expected);
    }
  });
});

describe("%k, the host key alias", () => {
  it("is the HostKeyAlias, else the alias as typed (not HostName), in UserKnownHostsFile and IdentityFile, as ssh does", async () => {
    const file = await config(
      "token-k.conf",
      `Host kay
  HostName 10.9.9.9
  UserKnownHostsFile ~/.ssh/kh/%k
  IdentityFile ~/.ssh/id_%k
Host kay-aliased
  HostName 10.9.9.8
  HostKeyAlias Kay.Alias
  UserKnownHostsFile ~/.ssh/kh/%k
  IdentityFile ~/.ssh/id_%k
`,
    );
    for (const alias of ["kay", "user@kay", "kay-aliased"]) {
      const resolved = await expectSameAsSsh(file, alias);
      expect(resolved.identityFiles, alias).toEqual(sshIdentityFiles(file, alias));
    }
    expect((await ours(file, "kay")).comparable.userKnownHostsFiles).toEqual([`${home}/.ssh/kh/kay`]);
    expect((await ours(file, "kay-aliased")).comparable.userKnownHostsFiles).toEqual([`${home}/.ssh/kh/kay.alias`]);
  });
});

describe("Include", () => {
  it("reads globbed files relative to ~/.ssh in order, and only where the including block matches", async () => {
    await writeFile(join(ssh, "conf.d", "20-b.conf"), "Host inc-b\n  User from-b\nHost inc-*\n  Port 2020\n");
    await writeFile(
      join(ssh, "conf.d", "10-a.conf"),
      "Host inc-a\n  User from-a\n# Match here must not leak out\nMatch originalhost nothing\n",
    );
    await writeFile(join(ssh, "conf.d", ".hidden.conf"), "Host inc-a\n  HostName hidden.example\n");
    await writeFile(join(ssh, "only-gated.conf"), "HostName gated.example\n");
    await writeFile(join(home, "absolute.conf"), "Host inc-c\n  User from-absolute\n");
    const main = await config(
      "include-main.conf",
      `Include conf.d/*.conf ${home}/absolute.conf ~/.ssh/missing-*.conf
Host inc-a
  Port 2121
Host gated
  Include only-gated.conf
Host inc-*
  User after-include
`,
    );
    for (const alias of ["inc-a", "inc-b", "inc-c", "inc-d", "gated", "other"]) await expectSameAsSsh(main, alias);
    const resolved = await resolveHost("inc-a", { configFile: main, home, localUser: LOCAL_USER });
    // First value wins: 20-b.conf's `Host inc-*` is read before the main file's `Host inc-a`.
    expect(resolved.user).toBe("from-a");
    expect(resolved.port).toBe(2020);
    expect(resolved.sources).toEqual([
      main,
      join(ssh, "conf.d", "10-a.conf"),
      join(ssh, "conf.d", "20-b.conf"),
      join(home, "absolute.conf"),
      join(ssh, "only-gated.conf"),
    ]);
  });

  it("refuses an included file that others can write, as ssh does", async () => {
    const loose = join(ssh, "loose.conf");
    await writeFile(loose, "Host loose\n  User x\n");
    await chmod(loose, 0o666);
    const main = await config("loose-main.conf", "Include loose.conf\n");
    expect(runSsh(["-G", "-F", main, "loose"]).stderr).toMatch(/Bad owner or permissions/);
    await expect(resolveHost("loose", { configFile: main, home })).rejects.toThrow(/Bad owner or permissions on .*loose\.conf/);
  });
});

describe("Match final", () => {
  it("re-reads the config with the resolved HostName, like ssh's final pass", async () => {
    const main = await config(
      "final.conf",
      `Host fin
  HostName Fin.Real.Example
Match final host fin.real.example
  User final-user
Host fin.real.example
  Port 2323
Match canonical
  ServerAliveInterval 45
Match !final
  ServerAliveCountMax 9
`,
    );
    await expectSameAsSsh(main, "fin");
    const fin = await resolveHost("fin", { configFile: main, home, localUser: LOCAL_USER });
    expect(fin).toMatchObject({ user: "final-user", port: 2323, serverAliveIntervalMs: 45_000, serverAliveCountMax: 9 });
  });
});

describe("reading a config again in the same process", () => {
  it("follows a file whose text changed, and reports a bad line every time it is read", async () => {
    const file = await config("again.conf", "Host again\n  HostName one.example\n");
    const options = { configFile: file, home, localUser: LOCAL_USER };
    expect(await resolveHost("again", options)).toMatchObject({ hostName: "one.example" });
    await config("again.conf", "Host again\n  HostName two.example\n");
    expect(await resolveHost("again", options)).toMatchObject({ hostName: "two.example" });
    await config("again.conf", 'Host again\n  HostName "two.example\n');
    for (let i = 0; i < 2; i++) await expect(resolveHost("again", options)).rejects.toThrow(`${file}:2`);
  });
});

describe("defaults", () => {
  it("gives OpenSSH's defaults for a host the config does not mention", async () => {
    const empty = await config("empty.conf", "");
    const resolved = await expectSameAsSsh(empty, "bare");
    expect(resolved.identityFiles.map((f) => f.replace(`${home}/.ssh/`, ""))).toEqual([
      "id_rsa",
      "id_ecdsa",
      "id_ecdsa_sk",
      "id_ed25519",
      "id_ed25519_sk",
      "id_xmss",
      "id_dsa",
    ]);
    const bare = await resolveHost("Bare", { configFile: empty, home, localUser: "someone" });
    expect(bare).toEqual({
      alias: "Bare",
      hostName: "bare",
      user: "someone",
      port: 22,
      identityFiles: resolved.identityFiles,
      identitiesOnly: false,
      proxyJump: [],
      serverAliveCountMax: 3,
      userKnownHostsFiles: [`${home}/.ssh/known_hosts`, `${home}/.ssh/known_hosts2`],
      globalKnownHostsFiles: ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"],
      strictHostKeyChecking: "ask",
      hashKnownHosts: false,
      sources: [empty],
    });
  });

  it("reads ~/.ssh/config then /etc/ssh/ssh_config when no config file is given", async () => {
    const userConfig = join(ssh, "config");
    await writeFile(userConfig, "Host fromhome\n  HostName home.example\n  Port 2424\n", { mode: 0o600 });
    try {
      const resolved = await resolveHost("fromhome", { home, localUser: LOCAL_USER });
      expect(resolved).toMatchObject({ hostName: "home.example", port: 2424 });
      expect(resolved.sources[0]).toBe(userConfig);
      expect(resolved.sources).toContain("/etc/ssh/ssh_config");
    } finally {
      await rm(userConfig);
    }
  });

  it('reads nothing for configFile "none", like ssh -F none', async () => {
    const resolved = await resolveHost("k3s1", { configFile: "none", home, localUser: LOCAL_USER });
    expect(resolved).toMatchObject({ hostName: "k3s1", port: 22, sources: [] });
  });
});

describe("problems are InputErrors naming file:line, all at once", () => {
  async function problem(text: string, alias = "any") {
    const file = await config(`bad-${Math.random().toString(36).slice(2)}.conf`, text);
    const sshRun = runSsh(["-G", "-F", file, alias]);
    const error = await resolveHost(alias, { configFile: file, home, localUser: LOCAL_USER }).then(
      () => undefined,
      (e: unknown) => e,
    );
    return { file, error: error as InputError, ssh: sshRun };
  }

  it("rejects what ssh rejects, even inside a block that does not match", async () => {
    const {
      file,
      error,
      ssh: sshRun,
    } = await problem(
      "Host other\n  HostNmae typo.example\n  Port 0\n  User a b\nHost any\n  StrictHostKeyChecking maybe\n  ConnectTimeout 5x\n",
    );
    expect(sshRun.code).toBe(255);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain("5 problems");
    for (const line of [2, 3, 4, 6, 7]) expect(error.message).toContain(`${file}:${line}:`);
    expect(error.message).toMatch(/Bad configuration option: hostnmae/);
    expect(error.message).toMatch(/bad port "0"/);
    expect(error.message).toMatch(/extra arguments/);
  });

  it("refuses Match exec where it would run, and skips it where an earlier criterion failed", async () => {
    const { file, error } = await problem('Match host any exec "test -e /tmp"\n  User x\n');
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(`${file}:1: Match exec is not supported`);
    const skipped = await problem('Match host other exec "false"\n  User x\n');
    expect(skipped.error).toBeUndefined();
    expect(skipped.ssh.code).toBe(0);
  });

  it("reports a bad Match, an unclosed quote and an unknown token", async () => {
    const { file, error } = await problem('Match all host x\nMatch host\nUser "unclosed\nHost any\n  IdentityFile ~/.ssh/%z\n');
    expect(error.message).toContain(`${file}:1:`);
    expect(error.message).toContain(`${file}:2:`);
    expect(error.message).toContain(`${file}:3:`);
    expect(error.message).toMatch(/IdentityFile: unknown token %z/);
  });

  it("names a missing config file", async () => {
    const missing = join(home, "no-such-config");
    await expect(resolveHost("k3s1", { configFile: missing, home })).rejects.toThrow(InputError);
    await expect(resolveHost("k3s1", { configFile: missing, home })).rejects.toThrow(missing);
  });
});
