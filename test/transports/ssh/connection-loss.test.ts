import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SshdServer } from "../../../src/lab/sshd/server.js";
import { ConnectError, ConnectionLostError } from "../../../src/transports/errors.js";
import { eventually } from "../../helpers/eventually.js";
import { rejectionOf, type SshHarness, startSshHarness } from "../../helpers/sshd.js";

let lab: SshHarness;
let server: SshdServer;

beforeAll(async () => {
  lab = await startSshHarness();
  server = await lab.startHost("k3s1");
  await lab.startHost("k3s1-keepalive", { extraConfig: ["ServerAliveInterval 1", "ServerAliveCountMax 1"] });
  await lab.startHost("k3s1-frozen", { extraConfig: ["ConnectTimeout 1"] });
  await lab.startHost("k3s1-default-keepalive");
  await lab.startHost("k3s1-stall", { extraConfig: ["ServerAliveInterval 1", "ServerAliveCountMax 1", "ConnectTimeout 1"] });
}, 60_000);

afterAll(async () => {
  // A lost connection leaves its command running on the host (that is the point of these tests):
  // cleanup() ends this file's unique sleeps by PID before the servers go.
  await lab?.cleanup();
});

const logins = async (s: SshdServer) => (await s.readLog()).match(/Accepted publickey/g)?.length ?? 0;

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  if (!(await eventually(check, 250, 20))) throw new Error(`gave up waiting for ${what}`);
}

/** A script that records each run in a file, then sleeps in a uniquely named sleep. */
function recordingScript(name: string) {
  const file = `${lab.remoteDir}/runs-${name}`;
  const seconds = lab.uniqueSleep();
  return { file, seconds, script: `echo run >> ${file}\nsleep ${seconds}\ncat ${file}` };
}

const runsIn = async (file: string) => {
  const result = await lab.transport("k3s1").exec({ command: { script: `cat ${file} 2>/dev/null || true` } });
  return result.stdout.split("\n").filter(Boolean).length;
};

describe("connection loss", () => {
  it("a mutating command: ConnectionLostError naming host and step, never repeated; the next exec reconnects", async () => {
    const ssh = lab.transport("k3s1");
    await ssh.exec({ command: { argv: ["true"] } });
    const before = await logins(server);
    const { file, seconds, script } = recordingScript("mutating");
    const running = ssh.exec({ command: { script }, step: "wipe[sdf1]" });
    await until(async () => (await lab.pidsMatching(`sleep ${seconds}`)).length > 0, "the command to start");
    await server.killConnections();
    const error = await rejectionOf(running);
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error.message).toMatch(/^host k3s1, step wipe\[sdf1\]: lost the connection while running echo run/);
    expect(error.message).toContain("it may or may not have run; check the host before resuming");
    expect(error).toMatchObject({ target: "k3s1", step: "wipe[sdf1]" });
    expect(await runsIn(file)).toBe(1);
    // The same transport reconnects for the next step.
    expect((await ssh.exec({ command: { argv: ["echo", "back"] } })).stdout).toBe("back\n");
    expect(await logins(server)).toBeGreaterThanOrEqual(before + 1);
    await ssh.exec({ command: { argv: ["rm", "-f", file] } });
  });

  it("a read-only command reconnects and runs once more", async () => {
    const ssh = lab.transport("k3s1");
    const { file, seconds, script } = recordingScript("readonly");
    const running = ssh.exec({
      command: { script: script.replace(`sleep ${seconds}`, `[ "$(wc -l < ${file})" -gt 1 ] || sleep ${seconds}`) },
      readOnly: true,
    });
    await until(async () => (await lab.pidsMatching(`sleep ${seconds}`)).length > 0, "the command to start");
    await server.killConnections();
    const result = await running;
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("run\nrun\n");
    await ssh.exec({ command: { argv: ["rm", "-f", file] } });
  });

  it("a read-only command lost twice is reported, after exactly one retry", async () => {
    const ssh = lab.transport("k3s1");
    const { file, seconds, script } = recordingScript("twice");
    const running = ssh.exec({ command: { script }, readOnly: true, step: "probe" });
    for (const run of [1, 2]) {
      await until(async () => (await lab.pidsMatching(`sleep ${seconds}`)).length > 0 && (await runsIn(file)) === run, `run ${run}`);
      await server.killConnections();
    }
    const error = await rejectionOf(running);
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error.message).toContain("tried once more, lost again");
    expect(await runsIn(file)).toBe(2);
    await lab.transport("k3s1").exec({ command: { argv: ["rm", "-f", file] } });
  });

  /** Runs a long command on `alias`, freezes its sshd, and returns the error that ends the wait. */
  async function lostToFreeze(alias: string): Promise<Error> {
    const frozen = lab.servers.get(alias) as SshdServer;
    const seconds = lab.uniqueSleep();
    const running = lab.transport(alias).exec({ command: { argv: ["sleep", seconds] }, step: "hang" });
    await until(async () => (await lab.pidsMatching(`sleep ${seconds}`)).length > 0, "the command to start");
    await frozen.freeze();
    try {
      return await rejectionOf(running);
    } finally {
      await frozen.thaw();
      await frozen.killConnections();
    }
  }

  it("a host that stops answering is detected by keepalives (ServerAliveInterval)", async () => {
    const error = await lostToFreeze("k3s1-keepalive");
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error.message).toContain("no answer to 1 keepalive 1 s apart");
  });

  it("without ServerAliveInterval in the config, a host that stops answering is noticed by recover's default keepalives (4 s × 3)", async () => {
    // ssh's own default (no keepalives) would wait for TCP to give up: many minutes, past this test's timeout.
    const error = await lostToFreeze("k3s1-default-keepalive");
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error.message).toContain("no answer to 3 keepalives 4 s apart");
  }, 40_000);

  it("a connection lost before the command started: says nothing ran instead of 'may or may not have run'", async () => {
    const stalled = lab.servers.get("k3s1-stall") as SshdServer;
    const ssh = lab.transport("k3s1-stall");
    await ssh.exec({ command: { argv: ["true"] } });
    const marker = `${lab.remoteDir}/stalled-wipe`;
    await stalled.freeze();
    let error: Error;
    try {
      // The channel is never opened (the host does not answer); keepalives end the connection.
      error = await rejectionOf(ssh.exec({ command: { argv: ["touch", marker] }, step: "wipe" }));
    } finally {
      await stalled.thaw();
    }
    expect(error).not.toBeInstanceOf(ConnectionLostError);
    expect(error.message).not.toContain("may or may not have run");
    // It tried once more on a new connection (safe: nothing had been sent), and that login found the host frozen.
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.message).toContain("not answering");
    expect((await ssh.exec({ command: { argv: ["test", "-e", marker] } })).exitCode).toBe(1);
  });

  it("a frozen sshd: the login gives up after ConnectTimeout, saying the server is not answering", async () => {
    const frozen = lab.servers.get("k3s1-frozen") as SshdServer;
    await frozen.freeze();
    try {
      const error = await rejectionOf(lab.transport("k3s1-frozen").exec({ command: { argv: ["true"] } }));
      expect(error).toBeInstanceOf(ConnectError);
      expect(error.message).toContain("within 1 s");
      expect(error.message).toContain("not answering");
    } finally {
      await frozen.thaw();
    }
  });
});
