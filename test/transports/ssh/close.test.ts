import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SshdServer } from "../../../src/lab/sshd/server.js";
import { AbortedError } from "../../../src/transports/errors.js";
import { rejectionOf, type SshHarness, startSshHarness } from "../../helpers/sshd.js";

let lab: SshHarness;
let server: SshdServer;

beforeAll(async () => {
  lab = await startSshHarness();
  server = await lab.startHost("k3s1");
  // Only close() can end a login to this host while it is frozen.
  await lab.startHost("slow-login", { extraConfig: ["ConnectTimeout 600"] });
}, 60_000);

afterAll(async () => {
  await lab?.cleanup();
});

const logins = async () => (await server.readLog()).match(/Accepted publickey/g)?.length ?? 0;

async function untilRunning(seconds: string): Promise<void> {
  await lab.waitForProcess(`sleep ${seconds}`);
  expect(await lab.pidsMatching(`sleep ${seconds}`)).not.toEqual([]);
}

describe("SshTransport close()", () => {
  it("ends a command still running on the host and reports it as aborted, not as a lost connection", async () => {
    const seconds = lab.uniqueSleep();
    const ssh = lab.transport("k3s1");
    const running = rejectionOf(ssh.exec({ command: { argv: ["sleep", seconds] }, step: "long" }));
    await untilRunning(seconds);
    await ssh.close();
    const error = await running;
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.message).toMatch(/^aborted \(the transport was closed\): sleep \S+ on k3s1 \(step long\); the remote command was ended$/);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("never reconnects to run a read-only command again once closed", async () => {
    const seconds = lab.uniqueSleep();
    const file = `${lab.remoteDir}/runs`;
    const ssh = lab.transport("k3s1");
    const running = rejectionOf(ssh.exec({ command: { script: `echo run >> ${file}\nsleep ${seconds}` }, readOnly: true }));
    await untilRunning(seconds);
    const before = await logins();
    await ssh.close();
    expect(await running).toBeInstanceOf(AbortedError);
    expect(await logins()).toBe(before);
    const runs = await lab.transport("k3s1").exec({ command: { script: `cat ${file}; rm -f ${file}` } });
    expect(runs.stdout).toBe("run\n");
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("a request waiting for a channel when close() comes never starts", async () => {
    const marker = `${lab.remoteDir}/queued`;
    const seconds = lab.uniqueSleep();
    const ssh = lab.transport("k3s1", { maxChannels: 2 });
    const busy = rejectionOf(ssh.exec({ command: { argv: ["sleep", seconds] } }));
    await untilRunning(seconds);
    const queued = rejectionOf(ssh.exec({ command: { argv: ["touch", marker] } }));
    await ssh.close();
    expect(await busy).toBeInstanceOf(AbortedError);
    const error = await queued;
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.message).toMatch(/it had not started/);
    expect((await lab.transport("k3s1").exec({ command: { argv: ["test", "-e", marker] } })).exitCode).toBe(1);
  });

  it("is idempotent, and a later exec opens a new connection", async () => {
    const ssh = lab.transport("k3s1");
    expect((await ssh.exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
    await ssh.close();
    await ssh.close();
    expect((await ssh.exec({ command: { argv: ["echo", "again"] } })).stdout).toBe("again\n");
  });

  it("stops a login that is still waiting for a host that stopped answering", async () => {
    const frozen = lab.servers.get("slow-login");
    if (!frozen) throw new Error("no slow-login host");
    const ssh = lab.transport("slow-login");
    await frozen.freeze();
    try {
      const error = await rejectionOf(ssh.exec({ command: { argv: ["true"] }, timeoutMs: 300 }));
      expect(error.message).toMatch(/it had not started/);
      // The login goes on for the next step; close() ends it instead of waiting out ConnectTimeout.
      await ssh.close();
    } finally {
      await frozen.thaw();
    }
    expect((await ssh.exec({ command: { argv: ["echo", "later"] } })).stdout).toBe("later\n");
  });
});
