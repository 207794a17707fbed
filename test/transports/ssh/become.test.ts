import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortedError, BecomeError, TimeoutError } from "../../../src/transports/errors.js";
import { eventually } from "../../helpers/eventually.js";
import { rejectionOf, type SshHarness, startSshHarness } from "../../helpers/sshd.js";

let lab: SshHarness;
let password: string;

beforeAll(async () => {
  lab = await startSshHarness();
  await lab.startHost("k3s1");
  if (!lab.system.sudoPassword) throw new Error("these tests need root: the lab's sudo password is kept root-only");
  password = lab.system.sudoPassword;
}, 60_000);

afterAll(async () => {
  await lab?.cleanup();
});

/** A prompter that records what it was asked and answers from a list (last answer repeats). */
function prompter(...answers: string[]) {
  const asked: string[] = [];
  return {
    asked,
    secret: async (message: string) => {
      asked.push(message);
      return answers[Math.min(asked.length - 1, answers.length - 1)] ?? "";
    },
  };
}

describe("become: sudo", () => {
  it("runs as root with passwordless sudo, stdin passed through", async () => {
    const ssh = lab.transport("k3s1", { become: "sudo" });
    expect((await ssh.exec({ command: { argv: ["id", "-u"] } })).stdout).toBe("0\n");
    expect((await ssh.exec({ command: { script: "id -un; cat" }, stdin: "through sudo" })).stdout).toBe("root\nthrough sudo");
  });

  it("without become the same user is not root", async () => {
    expect((await lab.transport("k3s1").exec({ command: { argv: ["id", "-u"] } })).stdout).not.toBe("0\n");
  });

  it("a user whose sudo wants a password, not interactive: BecomeError saying what to configure", async () => {
    const ssh = lab.transport("k3s1", { become: "sudo", user: lab.system.passwordUser });
    const error = await rejectionOf(ssh.exec({ command: { argv: ["id", "-u"] }, step: "check" }));
    expect(error).toBeInstanceOf(BecomeError);
    expect(error.message).toContain(`sudo on k3s1 needs a password for ${lab.system.passwordUser}`);
    expect(error.message).toContain(`configure passwordless sudo for ${lab.system.passwordUser}`);
    expect(error.message).toContain("or run interactively");
    // It logged in fine: only sudo is the problem.
    expect(await rejectionOf(ssh.exec({ command: { argv: ["true"] } }))).toBeInstanceOf(BecomeError);
  });

  it("asks the prompter once, feeds sudo the password ahead of stdin, never shows it", async () => {
    const ask = prompter(password);
    const outputs: string[] = [];
    const ssh = lab.transport("k3s1", { become: "sudo", user: lab.system.passwordUser, prompter: ask });
    const results = await Promise.all([
      ssh.exec({ command: { argv: ["id", "-u"] }, onOutput: (_, c) => outputs.push(c.toString()) }),
      ssh.exec({ command: { argv: ["cat"] }, stdin: "only this", onOutput: (_, c) => outputs.push(c.toString()) }),
      ssh.exec({ command: { script: "id -un; cat" }, onOutput: (_, c) => outputs.push(c.toString()) }),
    ]);
    expect(results.map((r) => r.stdout)).toEqual(["0\n", "only this", "root\n"]);
    expect(ask.asked).toEqual([`[sudo] password for ${lab.system.passwordUser} on k3s1: `]);
    for (const r of results) expect(`${r.stdout}${r.stderr}`).not.toContain(password);
    expect(outputs.join("")).not.toContain(password);
    expect((await ssh.exec({ command: { argv: ["whoami"] } })).stdout).toBe("root\n");
    expect(ask.asked).toHaveLength(1);
  });

  it("a command sudoers lets through without a password never gets the password on its stdin", async () => {
    // LAB_NOPASSWD_COMMAND: sudo runs it without reading a password, so a password fed blindly
    // ahead of stdin would be the first line the command reads (here: written out by tee).
    const ssh = lab.transport("k3s1", { become: "sudo", user: lab.system.passwordUser, prompter: prompter(password) });
    const teed = await ssh.exec({ command: { argv: ["tee"] }, stdin: "only this\n" });
    expect(teed).toMatchObject({ exitCode: 0, stdout: "only this\n" });
    expect(`${teed.stdout}${teed.stderr}`).not.toContain(password);
    expect((await ssh.exec({ command: { argv: ["cat"] }, stdin: "after tee" })).stdout).toBe("after tee");
  });

  it("a wrong password: asked three times, then BecomeError without the password", async () => {
    const wrong = "not-the-password-0451";
    const ask = prompter(wrong);
    const ssh = lab.transport("k3s1", { become: "sudo", user: lab.system.passwordUser, prompter: ask });
    const error = await rejectionOf(ssh.exec({ command: { argv: ["id", "-u"] } }));
    expect(error).toBeInstanceOf(BecomeError);
    expect(error.message).toMatch(/did not accept the password/);
    expect(error.message).not.toContain(wrong);
    expect(JSON.stringify(error)).not.toContain(wrong);
    expect(ask.asked).toHaveLength(3);
  });

  it("a timeout under password sudo still ends the root process", async () => {
    const seconds = lab.uniqueSleep();
    const ssh = lab.transport("k3s1", { become: "sudo", user: lab.system.passwordUser, prompter: prompter(password) });
    const error = await rejectionOf(ssh.exec({ command: { argv: ["sleep", seconds] }, timeoutMs: 800 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).not.toContain(password);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("time at the sudo password prompt does not count against the step's timeout", async () => {
    // The operator takes longer to type than the step may run.
    const slow = { secret: () => new Promise<string>((resolve) => setTimeout(() => resolve(password), 1_500)) };
    const ssh = lab.transport("k3s1", { become: "sudo", user: lab.system.passwordUser, prompter: slow });
    const result = await ssh.exec({ command: { argv: ["id", "-u"] }, timeoutMs: 1_000, step: "who" });
    expect(result).toMatchObject({ exitCode: 0, stdout: "0\n" });
  });

  it("a command that gives up while the operator is asked withdraws the question: nothing is left waiting", async () => {
    const withdrawn: string[] = [];
    /** Never answers; records when the question is withdrawn. */
    const never = {
      asked: 0,
      secret(message: string, options?: { signal?: AbortSignal }) {
        never.asked++;
        return new Promise<string>((_, reject) => {
          options?.signal?.addEventListener("abort", () => {
            withdrawn.push(message);
            reject(new AbortedError("withdrawn", { target: "local" }));
          });
        });
      },
    };
    const controller = new AbortController();
    const ssh = lab.transport("k3s1", { become: "sudo", user: lab.system.passwordUser, prompter: never });
    const running = rejectionOf(ssh.exec({ command: { argv: ["id", "-u"] }, signal: controller.signal, timeoutMs: 500, step: "who" }));
    expect(await eventually(() => never.asked === 1, 100, 50)).toBe(true);
    controller.abort();
    expect(await running).toBeInstanceOf(AbortedError);
    expect(withdrawn).toEqual([`[sudo] password for ${lab.system.passwordUser} on k3s1: `]);
    // close() withdraws a question too.
    const closing = rejectionOf(ssh.exec({ command: { argv: ["id", "-u"] } }));
    expect(await eventually(() => never.asked === 2, 100, 50)).toBe(true);
    await ssh.close();
    expect(await closing).toBeInstanceOf(AbortedError);
    expect(withdrawn).toHaveLength(2);
  });
});
