import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TimeoutError } from "../../../src/transports/errors.js";
import { eventually } from "../../helpers/eventually.js";
import { rejectionOf, type SshHarness, startSshHarness } from "../../helpers/sshd.js";

let lab: SshHarness;

beforeAll(async () => {
  lab = await startSshHarness();
  await lab.startHost("k3s1");
  await lab.startHost("few-sessions", { sshd: { extraConfig: ["MaxSessions 4"] } });
  // Keepalives far apart: only the transport's own deadline can end a wait on this host.
  await lab.startHost("freezes", { extraConfig: ["ServerAliveInterval 600"] });
}, 60_000);

afterAll(async () => {
  await lab?.servers.get("freezes")?.thaw();
  await lab?.cleanup();
});

const gone = async (needle: string) => (await lab.pidsMatching(needle)).length === 0;

describe("ending timed-out commands", () => {
  it("nine commands ignoring SIGTERM time out together: each is ended with SIGKILL and says so, none waits behind another", async () => {
    const seconds = lab.uniqueSleep();
    const notices: string[] = [];
    const ssh = lab.transport("k3s1", { onNotice: (m) => notices.push(m) });
    const errors = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        rejectionOf(ssh.exec({ command: { script: `trap '' TERM\nsleep ${seconds}` }, timeoutMs: 1_500, step: `stubborn-${i}` })),
      ),
    );
    const killed = "the remote command was ended (with SIGKILL: it ignored SIGTERM for 1 s)";
    for (const [i, error] of errors.entries()) {
      expect(error).toBeInstanceOf(TimeoutError);
      // On a machine too busy to confirm it within the report window, the error says so and a notice follows.
      if (error.message.endsWith(`; ${killed}`)) continue;
      expect(error.message).toContain("; recover is still ending the remote command in the background");
      expect(await eventually(() => notices.some((n) => n.startsWith(`host k3s1, step stubborn-${i}:`)), 100, 100)).toBe(true);
      const notice = notices.find((n) => n.startsWith(`host k3s1, step stubborn-${i}:`));
      expect(notice?.endsWith(`stopped earlier: ${killed}`)).toBe(true);
    }
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("a child the command moved to its own session (setsid) is ended with it", async () => {
    const seconds = lab.uniqueSleep();
    const error = await rejectionOf(
      lab.transport("k3s1").exec({ command: { script: `setsid sleep ${seconds} &\nsleep ${seconds}` }, timeoutMs: 800 }),
    );
    expect(error.message).toMatch(/; the remote command was ended$/);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("a setsid child under sudo (root) is ended with it", async () => {
    const seconds = lab.uniqueSleep();
    const ssh = lab.transport("k3s1", { become: "sudo" });
    const error = await rejectionOf(ssh.exec({ command: { script: `setsid sleep ${seconds} &\nsleep ${seconds}` }, timeoutMs: 800 }));
    expect(error.message).toMatch(/; the remote command was ended$/);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("a frozen host: the timeout is reported at once, the command is ended in the background when the host answers again, and the operator is told", async () => {
    const freezes = lab.servers.get("freezes");
    if (!freezes) throw new Error("no freezes host");
    const notices: string[] = [];
    const ssh = lab.transport("freezes", { onNotice: (m) => notices.push(m) });
    const seconds = lab.uniqueSleep();
    const running = rejectionOf(ssh.exec({ command: { argv: ["sleep", seconds] }, timeoutMs: 1_500, step: "frozen" }));
    await lab.waitForProcess(`sleep ${seconds}`);
    await freezes.freeze();
    let error: Error;
    try {
      error = await running;
    } finally {
      await freezes.thaw();
    }
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(
      /^timed out after 1\.5 s: sleep \S+ on freezes \(step frozen\); recover is still ending the remote command in the background/,
    );
    expect(await eventually(() => notices.length > 0, 100, 100)).toBe(true);
    expect(notices).toEqual([`host freezes, step frozen: sleep ${seconds}, stopped earlier: the remote command was ended`]);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });
});

describe("a host with fewer sessions than the pool (sshd MaxSessions 4)", () => {
  it("runs 20 parallel commands, all of them, learning the limit from sshd's refusals", async () => {
    const notices: string[] = [];
    const ssh = lab.transport("few-sessions", { onNotice: (m) => notices.push(m) });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ssh.exec({ command: { script: `sleep 0.2; echo ${i}` } })));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `${i}\n`));
  });

  it("timeouts still end the commands while every session sshd allows is busy", async () => {
    const seconds = lab.uniqueSleep();
    const ssh = lab.transport("few-sessions");
    const errors = await Promise.all(
      Array.from({ length: 6 }, () => rejectionOf(ssh.exec({ command: { argv: ["sleep", seconds] }, timeoutMs: 1_500 }))),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error.message).toMatch(/; (the remote command was ended|it had not started)$/);
    }
    expect(await eventually(() => gone(`sleep ${seconds}`), 20, 100)).toBe(true);
    expect((await ssh.exec({ command: { argv: ["echo", "still usable"] } })).stdout).toBe("still usable\n");
  });
});
