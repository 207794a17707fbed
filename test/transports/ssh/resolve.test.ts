import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectError, ConnectionLostError } from "../../../src/transports/errors.js";
import { eventually } from "../../helpers/eventually.js";
import { rejectionOf, type SshHarness, startSshHarness } from "../../helpers/sshd.js";

let lab: SshHarness;

beforeAll(async () => {
  lab = await startSshHarness();
}, 60_000);

afterAll(async () => {
  await lab?.cleanup();
});

const logins = async (alias: string) => ((await lab.servers.get(alias)?.readLog()) ?? "").match(/Accepted publickey for (\S+)/g) ?? [];

describe("host aliases resolve like OpenSSH", () => {
  it("reaches HostName, Port and User of the alias in the config file", async () => {
    const server = await lab.startHost("k3s1");
    await lab.startHost("k3s2");
    const result = await lab.transport("k3s1").exec({ command: { script: 'id -un; echo "$SSH_CONNECTION"' } });
    const [user, connection] = result.stdout.trim().split("\n");
    expect(user).toBe(lab.system.user);
    expect(connection?.split(" ").slice(2)).toEqual([server.address, String(server.port)]);
    expect(await logins("k3s1")).toEqual([`Accepted publickey for ${lab.system.user}`]);
    expect(await logins("k3s2")).toEqual([]);
  });

  it("the runbook target's user overrides the config's User, like ssh -l", async () => {
    await lab.startHost("as-other");
    const result = await lab.transport("as-other", { user: lab.system.passwordUser }).exec({ command: { argv: ["id", "-un"] } });
    expect(result.stdout).toBe(`${lab.system.passwordUser}\n`);
  });

  it("goes through a ProxyJump host, each hop with its own host key check and login", async () => {
    await lab.startHost("bastion");
    const inner = await lab.startHost("inner", { extraConfig: ["ProxyJump bastion"] });
    const result = await lab.transport("inner").exec({ command: { script: 'echo "$SSH_CONNECTION"' } });
    expect(result.stdout.trim().split(" ").slice(2)).toEqual([inner.address, String(inner.port)]);
    expect(await logins("bastion")).toHaveLength(1);
    expect(await logins("inner")).toHaveLength(1);
  });

  it("through a jump host: a lost target connection is reported, the next exec reconnects, close() ends the jump too", async () => {
    const bastion = await lab.startHost("bastion3");
    const inner = await lab.startHost("inner3", { extraConfig: ["ProxyJump bastion3"] });
    const ssh = lab.transport("inner3");
    const seconds = lab.uniqueSleep();
    const running = rejectionOf(ssh.exec({ command: { argv: ["sleep", seconds] }, step: "behind-jump" }));
    await lab.waitForProcess(`sleep ${seconds}`);
    await inner.killConnections();
    const error = await running;
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error.message).toMatch(/^host inner3, step behind-jump: lost the connection/);
    expect((await ssh.exec({ command: { argv: ["echo", "back"] } })).stdout).toBe("back\n");
    await ssh.close();
    // Nothing of the transport stays connected: not the target, not the jump host (the old hop included).
    expect(await eventually(async () => (await bastion.connectionPids()).length === 0, 100, 20)).toBe(true);
    expect(await inner.connectionPids()).toEqual([]);
  });

  it("a jump host's own ProxyJump is followed too, as OpenSSH does", async () => {
    await lab.startHost("outer-bastion");
    await lab.startHost("mid-bastion", { extraConfig: ["ProxyJump outer-bastion"] });
    const deep = await lab.startHost("deep", { extraConfig: ["ProxyJump mid-bastion"] });
    const result = await lab.transport("deep").exec({ command: { script: 'echo "$SSH_CONNECTION"' } });
    expect(result.stdout.trim().split(" ").slice(2)).toEqual([deep.address, String(deep.port)]);
    expect(await logins("outer-bastion")).toHaveLength(1);
    expect(await logins("mid-bastion")).toHaveLength(1);
    expect(await logins("deep")).toHaveLength(1);
  });

  it("a ProxyJump loop is a clear error, not endless recursion", async () => {
    await lab.startHost("loop-a", { extraConfig: ["ProxyJump loop-b"] });
    await lab.startHost("loop-b", { extraConfig: ["ProxyJump loop-a"] });
    const error = await rejectionOf(lab.transport("loop-a").exec({ command: { argv: ["true"] } }));
    expect(error.message).toMatch(/ProxyJump/);
    expect(error.message).toMatch(/loop-a/);
    expect(error.message).toMatch(/loop-b/);
  });

  it("names the jump host when it is the hop that fails", async () => {
    const bastion = await lab.startHost("bastion2");
    await lab.startHost("inner2", { extraConfig: ["ProxyJump bastion2"] });
    await bastion.down();
    const error = await rejectionOf(lab.transport("inner2").exec({ command: { argv: ["true"] } }));
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.message).toContain("cannot connect to bastion2");
    expect(error.message).toContain("while connecting to inner2 through bastion2");
  });

  it("a missing config file is an input error naming it", async () => {
    const error = await rejectionOf(
      lab.transport("k3s1", { configFile: `${lab.dir}/no-such-config` }).exec({ command: { argv: ["true"] } }),
    );
    expect(error.message).toContain(`${lab.dir}/no-such-config`);
  });
});
