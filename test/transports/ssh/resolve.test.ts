import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectError } from "../../../src/transports/errors.js";
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
