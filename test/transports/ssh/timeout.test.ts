import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortedError, TimeoutError } from "../../../src/transports/errors.js";
import { rejectionOf, type SshHarness, startSshHarness } from "../../helpers/sshd.js";

let lab: SshHarness;

beforeAll(async () => {
  lab = await startSshHarness();
  await lab.startHost("k3s1");
}, 60_000);

afterAll(async () => {
  await lab?.cleanup();
});

/** A sleep no other test runs, so finding it in /proc means this test left it behind. */
const uniqueSleep = () => `${3000 + Math.floor(Math.random() * 5000)}.${process.pid}`;

describe("SshTransport timeout and abort", () => {
  it("a timeout ends the remote command and its children, and says so", async () => {
    const seconds = uniqueSleep();
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
    const seconds = uniqueSleep();
    const error = await rejectionOf(
      lab.transport("k3s1").exec({ command: { script: `sleep ${seconds} &\nsleep ${seconds} &\nwait` }, timeoutMs: 500 }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("a timeout ends a command run through sudo (root processes)", async () => {
    const seconds = uniqueSleep();
    const ssh = lab.transport("k3s1", { become: "sudo" });
    const error = await rejectionOf(ssh.exec({ command: { script: `sleep ${seconds}` }, timeoutMs: 700 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/timed out after 0\.7 s: sudo sleep/);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("an abort ends the remote command", async () => {
    const seconds = uniqueSleep();
    const controller = new AbortController();
    const running = lab.transport("k3s1").exec({ command: { argv: ["sleep", seconds] }, signal: controller.signal, step: "s" });
    // Abort once the command is surely running on the host.
    for (let i = 0; i < 100 && (await lab.pidsMatching(`sleep ${seconds}`)).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await lab.pidsMatching(`sleep ${seconds}`)).not.toEqual([]);
    controller.abort();
    const error = await rejectionOf(running);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.message).toMatch(/^aborted: sleep \S+ on k3s1 \(step s\); the remote command was ended$/);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("an already-aborted signal runs nothing", async () => {
    const marker = `/tmp/recover-never-${process.pid}`;
    const error = await rejectionOf(lab.transport("k3s1").exec({ command: { argv: ["touch", marker] }, signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortedError);
    const check = await lab.transport("k3s1").exec({ command: { argv: ["test", "-e", marker] } });
    expect(check.exitCode).toBe(1);
  });

  it("a request that times out while queued for a channel never starts", async () => {
    const marker = `/tmp/recover-queued-${process.pid}`;
    const ssh = lab.transport("k3s1", { maxChannels: 2 });
    const busy = ssh.exec({ command: { argv: ["sleep", "1"] } });
    await new Promise((r) => setTimeout(r, 100));
    const error = await rejectionOf(ssh.exec({ command: { argv: ["touch", marker] }, timeoutMs: 200 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/it had not started/);
    expect((await busy).exitCode).toBe(0);
    expect((await ssh.exec({ command: { argv: ["test", "-e", marker] } })).exitCode).toBe(1);
  });
});
