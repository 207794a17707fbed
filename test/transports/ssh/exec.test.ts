import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadCommandError } from "../../../src/transports/errors.js";
import type { OutputStream } from "../../../src/transports/types.js";
import { eventually } from "../../helpers/eventually.js";
import { rejectionOf, type SshHarness, startSshHarness } from "../../helpers/sshd.js";

let lab: SshHarness;

beforeAll(async () => {
  lab = await startSshHarness();
  await lab.startHost("k3s1");
}, 60_000);

afterAll(async () => {
  await lab?.cleanup();
});

const accepted = async (alias: string) => ((await lab.servers.get(alias)?.readLog()) ?? "").match(/Accepted publickey/g)?.length ?? 0;

describe("SshTransport exec", () => {
  it("runs argv and scripts as the login user, reporting exit codes", async () => {
    const ssh = lab.transport("k3s1");
    const who = await ssh.exec({ command: { argv: ["id", "-un"] } });
    expect(who).toMatchObject({ exitCode: 0, signal: null, stdout: `${lab.system.user}\n`, stderr: "", truncated: false });
    const failed = await ssh.exec({ command: { script: "echo out; echo err >&2; exit 3" } });
    expect(failed).toMatchObject({ exitCode: 3, signal: null, stdout: "out\n", stderr: "err\n" });
  });

  it("passes argv words through the remote shell untouched", async () => {
    const words = ["a b", "it's", "$HOME", `; touch ${lab.remoteDir}/pwned`, "`id`", "", "*", "back\\slash", "new\nline"];
    const result = await lab.transport("k3s1").exec({ command: { argv: ["printf", "[%s]\\n", ...words] } });
    expect(result.stdout).toBe(words.map((w) => `[${w}]\n`).join(""));
  });

  it("runs scripts under set -eu", async () => {
    const ssh = lab.transport("k3s1");
    const stopped = await ssh.exec({ command: { script: "false\necho never" } });
    expect(stopped.exitCode).toBe(1);
    expect(stopped.stdout).toBe("");
    const unset = await ssh.exec({ command: { script: 'echo "$NO_SUCH_VARIABLE"' } });
    expect(unset.exitCode).not.toBe(0);
    expect(unset.stderr).toMatch(/NO_SUCH_VARIABLE/);
  });

  it("reports a command ended by a signal as exitCode null with the signal", async () => {
    const result = await lab.transport("k3s1").exec({ command: { script: "kill -s TERM $$" } });
    expect(result).toMatchObject({ exitCode: null, signal: "SIGTERM" });
  });

  it("reports a missing program as exit 127", async () => {
    const result = await lab.transport("k3s1").exec({ command: { argv: ["no-such-program-recover"] } });
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toMatch(/not found/);
  });

  it("writes stdin and closes it; without stdin the command reads EOF", async () => {
    const ssh = lab.transport("k3s1");
    const echoed = await ssh.exec({ command: { argv: ["cat"] }, stdin: "hello\nworld" });
    expect(echoed.stdout).toBe("hello\nworld");
    const big = Buffer.alloc(3 * 1024 * 1024, "z");
    const counted = await ssh.exec({ command: { argv: ["wc", "-c"] }, stdin: big });
    expect(counted.stdout.trim()).toBe(String(big.length));
    const empty = await ssh.exec({ command: { argv: ["cat"] } });
    expect(empty).toMatchObject({ exitCode: 0, stdout: "" });
  });

  it("streams every byte of 10 MB to onOutput but keeps only the cap", async () => {
    const cap = 1024 * 1024;
    const ssh = lab.transport("k3s1", { outputCapBytes: cap });
    const seen: Record<OutputStream, number> = { stdout: 0, stderr: 0 };
    let xs = 0;
    const result = await ssh.exec({
      command: { script: "head -c 10485760 /dev/zero | tr '\\0' x; echo tail >&2" },
      onOutput: (stream, chunk) => {
        seen[stream] += chunk.length;
        if (stream === "stdout") for (const byte of chunk) if (byte === 0x78) xs++;
      },
    });
    expect(result.exitCode).toBe(0);
    expect(seen.stdout).toBe(10 * 1024 * 1024);
    expect(xs).toBe(10 * 1024 * 1024);
    expect(seen.stderr).toBe(5);
    expect(result.stdout.length).toBe(cap);
    expect(result.stderr).toBe("tail\n");
    expect(result.truncated).toBe(true);
  });

  it("decodes multi-byte UTF-8 split across packets, on stdout and stderr", async () => {
    const unit = "é€😀";
    const script = `i=0; while [ $i -lt 40000 ]; do printf '${unit}'; printf '${unit}' >&2; i=$((i+1)); done`;
    const chunks: Buffer[] = [];
    const result = await lab
      .transport("k3s1")
      .exec({ command: { script }, onOutput: (stream, c) => stream === "stdout" && chunks.push(c) });
    expect(chunks.length).toBeGreaterThan(1);
    expect(result.stdout).toBe(unit.repeat(40000));
    expect(result.stderr).toBe(unit.repeat(40000));
    expect(Buffer.concat(chunks).toString("utf8")).toBe(unit.repeat(40000));
  });

  it("keeps binary output byte for byte beside the text, on stdout and stderr", async () => {
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const invalid = Buffer.from([0x66, 0xff, 0xfe, 0x80, 0x6f, 0xc3]);
    const result = await lab.transport("k3s1").exec({ command: { script: "cat; printf 'f\\377\\376\\200o\\303' >&2" }, stdin: every });
    expect(result.stdoutBytes?.equals(every)).toBe(true);
    expect(result.stderrBytes?.equals(invalid)).toBe(true);
    expect(result.stderr).toBe("f\uFFFD\uFFFD\uFFFDo\uFFFD");
    expect(result.stdout).toBe(every.toString("utf8"));
  });

  it("a NUL byte in argv or a script is refused before anything is sent, naming host and step; the connection is unharmed", async () => {
    const ssh = lab.transport("k3s1");
    const marker = `${lab.remoteDir}/nul-written`;
    const seconds = lab.uniqueSleep();
    // A mutating step still running on the same connection must not be lost over the bad one.
    const started = `${lab.remoteDir}/nul-started`;
    const running = ssh.exec({ command: { script: `touch ${started}; sleep 1; touch ${marker}; echo done` }, step: "mutate" });
    const isRunning = async () => (await ssh.exec({ command: { argv: ["test", "-e", started] } })).exitCode === 0;
    expect(await eventually(isRunning, 50, 20)).toBe(true);
    const argv = await rejectionOf(ssh.exec({ command: { argv: ["echo", "a\0b"] }, step: "bad-argv" }));
    expect(argv).toBeInstanceOf(BadCommandError);
    expect(argv.message).toBe(
      "host k3s1, step bad-argv: the command holds a NUL byte (in argv word 2), which no remote command line can carry; nothing was sent. Remove it from the runbook (pass binary data on stdin instead).",
    );
    expect(argv).toMatchObject({ exitCode: 2, step: "bad-argv", target: "k3s1" });
    const script = await rejectionOf(ssh.exec({ command: { script: `sleep ${seconds}\necho \0` }, step: "bad-script" }));
    expect(script.message).toContain("(in the script, line 2)");
    expect((await running).stdout).toBe("done\n");
    expect((await ssh.exec({ command: { argv: ["test", "-e", marker] } })).exitCode).toBe(0);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it("a cap that falls inside a character keeps whole characters only", async () => {
    // "€" is 3 bytes: a 10-byte cap ends one byte into the fourth.
    const result = await lab.transport("k3s1", { outputCapBytes: 10 }).exec({ command: { argv: ["printf", "€€€€€€"] } });
    expect(result).toMatchObject({ stdout: "€€€", truncated: true });
  });

  it("runs 20 execs in parallel on one connection, never more channels than allowed", async () => {
    const ssh = lab.transport("k3s1", { maxChannels: 4 });
    const before = await accepted("k3s1");
    const dir = `${lab.remoteDir}/parallel`;
    await ssh.exec({ command: { argv: ["mkdir", "-p", dir] } });
    const script = (i: number) =>
      `echo $$ > ${dir}/$$; ls ${dir} | wc -l > ${dir}.count.$$; sleep 0.2; cat ${dir}.count.$$; rm ${dir}/$$ ${dir}.count.$$; echo "done ${i}"`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ssh.exec({ command: { script: script(i) } })));
    await ssh.exec({ command: { argv: ["rm", "-rf", dir] } });
    results.forEach((r, i) => {
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`done ${i}\\n$`));
    });
    const concurrency = results.map((r) => Number(r.stdout.split("\n")[0]));
    // maxChannels 4 = 3 for commands + 1 kept for the transport's own (kill, sudo check).
    expect(Math.max(...concurrency)).toBeLessThanOrEqual(3);
    expect(Math.max(...concurrency)).toBeGreaterThan(1);
    expect((await accepted("k3s1")) - before).toBe(1);
  });

  it("runs 20 execs in parallel with the default channel bound (sshd's MaxSessions 10)", async () => {
    const ssh = lab.transport("k3s1");
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ssh.exec({ command: { script: `sleep 0.1; echo ${i}` } })));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `${i}\n`));
  });
});
