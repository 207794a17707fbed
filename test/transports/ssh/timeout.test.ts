import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortedError, TimeoutError } from "../../../src/transports/errors.js";
import { eventually } from "../../helpers/eventually.js";
import { rejectionOf, type SshHarness, startSshHarness } from "../../helpers/sshd.js";

let lab: SshHarness;

beforeAll(async () => {
  lab = await startSshHarness();
  await lab.startHost("k3s1");
  // Keepalives far apart: only the transport's own deadline can end a wait on this host.
  await lab.startHost("stalls", { extraConfig: ["ServerAliveInterval 600"] });
}, 60_000);

afterAll(async () => {
  await lab?.servers.get("stalls")?.thaw();
  await lab?.cleanup();
});

describe("SshTransport timeout and abort", () => {
  it("a timeout ends the remote command and its children, and says so", async () => {
    const seconds = lab.uniqueSleep();
    const ssh = lab.transport("k3s1");
    const running = ssh.exec({ command: { script: `sleep ${seconds}\necho never` }, timeoutMs: 700, step: "wait-a-while" });
    const error = await rejectionOf(running);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(
      /^timed out after 0\.7 s: sleep \S+ … \(2 lines\) on k3s1 \(step wait-a-while\); the remote command was ended$/,
    );
    expect(error).toMatchObject({ target: "k3s1", step: "wait-a-while", timeoutMs: 700 });
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
    // The connection is still good for the next step.
    expect((await ssh.exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
  });

  it("ends background children in the command's process group too", async () => {
    const seconds = lab.uniqueSleep();
    const error = await rejectionOf(
      lab.transport("k3s1").exec({ command: { script: `sleep ${seconds} &\nsleep ${seconds} &\nwait` }, timeoutMs: 500 }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("a timeout ends a command run through sudo (root processes)", async () => {
    const seconds = lab.uniqueSleep();
    const ssh = lab.transport("k3s1", { become: "sudo" });
    const error = await rejectionOf(ssh.exec({ command: { script: `sleep ${seconds}` }, timeoutMs: 700 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/timed out after 0\.7 s: sudo sleep/);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("an abort ends the remote command", async () => {
    const seconds = lab.uniqueSleep();
    const controller = new AbortController();
    const running = lab.transport("k3s1").exec({ command: { argv: ["sleep", seconds] }, signal: controller.signal, step: "s" });
    // Abort once the command is surely running on the host.
    await lab.waitForProcess(`sleep ${seconds}`);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).not.toEqual([]);
    controller.abort();
    const error = await rejectionOf(running);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.message).toMatch(/^aborted: sleep \S+ on k3s1 \(step s\); the remote command was ended$/);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("an already-aborted signal runs nothing", async () => {
    const marker = `${lab.remoteDir}/never`;
    const error = await rejectionOf(lab.transport("k3s1").exec({ command: { argv: ["touch", marker] }, signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortedError);
    const check = await lab.transport("k3s1").exec({ command: { argv: ["test", "-e", marker] } });
    expect(check.exitCode).toBe(1);
  });

  it("a request that times out while queued for a channel never starts", async () => {
    const marker = `${lab.remoteDir}/queued`;
    const ssh = lab.transport("k3s1", { maxChannels: 2 });
    const busy = ssh.exec({ command: { argv: ["sleep", "1"] } });
    await new Promise((r) => setTimeout(r, 100));
    const error = await rejectionOf(ssh.exec({ command: { argv: ["touch", marker] }, timeoutMs: 200 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/it had not started/);
    expect((await busy).exitCode).toBe(0);
    expect((await ssh.exec({ command: { argv: ["test", "-e", marker] } })).exitCode).toBe(1);
  });

  it("a host that stops answering between commands: timeout and abort still return, and a late start is ended", async () => {
    const stalls = lab.servers.get("stalls");
    if (!stalls) throw new Error("no stalls host");
    const ssh = lab.transport("stalls");
    expect((await ssh.exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
    const seconds = lab.uniqueSleep();
    const count = async (pattern: RegExp) => (await stalls.readLog()).match(pattern)?.length ?? 0;
    const startedBefore = await count(/Starting session: command/g);
    await stalls.freeze();
    let timedOut: Error;
    let aborted: Error;
    try {
      // Without the deadline on the channel start these wait for keepalives (10 minutes here).
      timedOut = await rejectionOf(ssh.exec({ command: { argv: ["sleep", seconds] }, timeoutMs: 300, step: "frozen" }));
      const controller = new AbortController();
      const running = rejectionOf(ssh.exec({ command: { argv: ["sleep", seconds] }, signal: controller.signal }));
      controller.abort();
      aborted = await running;
    } finally {
      await stalls.thaw();
    }
    expect(timedOut).toBeInstanceOf(TimeoutError);
    expect(timedOut.message).toMatch(/^timed out after 0\.3 s: sleep \S+ on stalls \(step frozen\); the host had not confirmed the start/);
    expect(aborted).toBeInstanceOf(AbortedError);
    // Thawed, sshd starts both commands it was asked for; the transport ends them as soon as it
    // hears, so every session sshd started is closed again (a forgotten one would sleep on).
    const allEnded = async () =>
      (await count(/Starting session: command/g)) === startedBefore + 2 &&
      (await count(/Close session: user/g)) === (await count(/Starting session: command/g));
    // Settling, not timing: on a loaded machine sshd's log can trail by seconds.
    expect(await eventually(allEnded, 600, 25)).toBe(true);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
    expect((await ssh.exec({ command: { argv: ["echo", "alive"] } })).stdout).toBe("alive\n");
  });
});
