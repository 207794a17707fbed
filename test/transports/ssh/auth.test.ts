import { chmod, copyFile, rm } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
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

const fingerprintOf = async (publicLine: string) =>
  (await execa("ssh-keygen", ["-lf", "-"], { input: publicLine })).stdout.split(" ")[1] ?? "";

/** The fingerprints sshd logged as accepted logins. */
async function acceptedKeys(alias: string): Promise<string[]> {
  const log = (await lab.servers.get(alias)?.readLog()) ?? "";
  return [...log.matchAll(/Accepted publickey for \S+ from .* (SHA256:\S+)/g)].map((m) => m[1] ?? "");
}

async function connectError(work: Promise<unknown>): Promise<ConnectError> {
  const error = await rejectionOf(work);
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

function prompter(answer: string) {
  const asked: string[] = [];
  return {
    asked,
    secret: async (message: string) => {
      asked.push(message);
      return answer;
    },
  };
}

describe("SSH login", () => {
  it("logs in with the ssh-agent's key when no IdentityFile is set", async () => {
    await lab.startHost("agent", { identityFiles: [] });
    expect((await lab.transport("agent").exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
    expect(await acceptedKeys("agent")).toEqual([await fingerprintOf(lab.agentKey.publicLine)]);
  });

  it("IdentitiesOnly offers only agent keys matching an IdentityFile (its .pub is enough)", async () => {
    await lab.startHost("only-agent-file", { identityFiles: [lab.agentKey.privateFile] });
    expect((await lab.transport("only-agent-file").exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
    expect(await acceptedKeys("only-agent-file")).toEqual([await fingerprintOf(lab.agentKey.publicLine)]);
  });

  it("an encrypted key without a prompter fails clearly, and IdentitiesOnly keeps the agent's other key out", async () => {
    await lab.startHost("locked", { identityFiles: [lab.encryptedKey.privateFile] });
    const error = await connectError(lab.transport("locked").exec({ command: { argv: ["true"] } }));
    expect(error.message).toContain(`could not log in to locked`);
    expect(error.message).toContain(`as ${lab.system.user}`);
    expect(error.message).toContain(`key ${lab.encryptedKey.privateFile} is encrypted`);
    expect(error.message).toContain(`ssh-add ${lab.encryptedKey.privateFile}`);
    expect(error.message).toContain("run interactively");
    expect(error.message).toContain("ssh-agent");
    expect(await acceptedKeys("locked")).toEqual([]);
  });

  it("an encrypted key asks the prompter for its passphrase once per transport, reconnects included", async () => {
    await lab.startHost("unlock", { identityFiles: [lab.encryptedKey.privateFile] });
    const ask = prompter(lab.encryptedKey.passphrase);
    const ssh = lab.transport("unlock", { prompter: ask });
    expect((await ssh.exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
    await ssh.close();
    expect((await ssh.exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
    expect(ask.asked).toEqual([`Enter passphrase for key '${lab.encryptedKey.privateFile}' (${lab.system.user}@unlock): `]);
    expect(await acceptedKeys("unlock")).toEqual(Array(2).fill(await fingerprintOf(lab.encryptedKey.publicLine)));
  });

  it("a wrong passphrase is asked again, then reported", async () => {
    await lab.startHost("wrong-passphrase", { identityFiles: [lab.encryptedKey.privateFile] });
    const ask = prompter("not it");
    const error = await connectError(lab.transport("wrong-passphrase", { prompter: ask }).exec({ command: { argv: ["true"] } }));
    expect(ask.asked).toHaveLength(3);
    expect(error.message).toContain(`the passphrase for ${lab.encryptedKey.privateFile} was wrong 3 times`);
  });

  it("a key the host does not accept: ConnectError naming host, user and what was tried", async () => {
    const stranger = path.join(lab.dir, "id_stranger");
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);
    await lab.startHost("refused", { identityFiles: [stranger] });
    const error = await connectError(lab.transport("refused").exec({ command: { argv: ["true"] } }));
    expect(error.message).toMatch(/^could not log in to refused \(127\.0\.0\.\d+ port \d+\) as recover-lab/);
    expect(error.message).toContain(`Tried: ssh-agent ${lab.agentSocket} (0 keys matching IdentityFile); ${stranger}.`);
    expect(error.target).toBe("refused");
  });

  it("an identity file replaced between two logins is read again: the new key is offered, not the one parsed before", async () => {
    const file = path.join(lab.dir, "id_replaced");
    await copyFile(lab.key.privateFile, file);
    await chmod(file, 0o600);
    await lab.startHost("replaced-key", { identityFiles: [file] });
    expect((await lab.transport("replaced-key").exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
    await rm(file);
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
    const error = await connectError(lab.transport("replaced-key").exec({ command: { argv: ["true"] } }));
    expect(error.message).toContain(`${file}.`);
    expect(await acceptedKeys("replaced-key")).toEqual([await fingerprintOf(lab.key.publicLine)]);
  });

  it("no server listening: ConnectError saying the connection was refused", async () => {
    const server = await lab.startHost("gone");
    await server.down();
    const error = await connectError(lab.transport("gone").exec({ command: { argv: ["true"] } }));
    expect(error.message).toContain(`cannot connect to gone (${server.address} port ${server.port}): connection refused`);
  });
});
