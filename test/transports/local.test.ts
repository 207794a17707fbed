import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InternalError } from "../../src/errors.js";
import { isAlive } from "../../src/lab/sshd/process-tree.js";
import { AbortedError, MissingToolError, TimeoutError, TransportError } from "../../src/transports/errors.js";
import { LocalTransport } from "../../src/transports/local.js";
import { eventually } from "../helpers/eventually.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "recover-local-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const local = new LocalTransport();

describe("LocalTransport", () => {
  it("runs argv without a shell: metacharacters stay data", async () => {
    const result = await local.exec({ command: { argv: ["printf", "%s", "a; echo injected $(id)"] } });
    expect(result).toMatchObject({ exitCode: 0, signal: null, stdout: "a; echo injected $(id)", truncated: false });
  });

  it("runs scripts under set -eu: a failing command stops the script", async () => {
    const failed = await local.exec({ command: { script: "echo before\nfalse\necho after" } });
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toBe("before\n");
    const unset = await local.exec({ command: { script: 'echo "$NO_SUCH_VARIABLE_HERE"' } });
    expect(unset.exitCode).not.toBe(0);
    expect(unset.stderr).toMatch(/NO_SUCH_VARIABLE_HERE/);
  });

  it("passes stdin, cwd and env", async () => {
    const transport = new LocalTransport({ cwd: dir, env: { PATH: process.env.PATH, GREETING: "hi" } });
    const result = await transport.exec({
      command: { script: 'cat > in.txt; printf "%s %s" "$GREETING" "$(pwd)"' },
      stdin: "manifest\n",
    });
    expect(result.stdout).toBe(`hi ${dir}`);
    expect(await readFile(path.join(dir, "in.txt"), "utf8")).toBe("manifest\n");
  });

  it("puts the run marker on the command's processes, with or without an env of its own, and tells it with the pid", async () => {
    const marker = "r0123456789abcdef";
    const started: unknown[] = [];
    for (const transport of [local, new LocalTransport({ env: { PATH: process.env.PATH } })]) {
      const result = await transport.exec({
        command: { script: 'sh -c \'printf "%s" "$RECOVER_RUN"\'' },
        runMarker: marker,
        onStart: (p) => started.push(p),
      });
      expect(result.stdout).toBe(marker);
    }
    expect(started).toEqual([expect.objectContaining({ runMarker: marker }), expect.objectContaining({ runMarker: marker })]);
  });

  it("reports a signal instead of an exit code", async () => {
    const result = await local.exec({ command: { script: "kill -TERM $$" } });
    expect(result).toMatchObject({ exitCode: null, signal: "SIGTERM" });
  });

  it("on timeout ends the script and its children, and says so", async () => {
    const pidFile = path.join(dir, "timeout.pid");
    const run = local.exec({
      command: { script: `sleep 300 & echo $! > ${pidFile}; wait` },
      timeoutMs: 500,
      step: "slow",
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ target: "local", step: "slow", timeoutMs: 500 });
    expect((error as Error).message).toMatch(/^timed out after 0\.5 s: sleep 300 & echo .* \(local, step slow\); it was stopped$/);
    const child = Number(await readFile(pidFile, "utf8"));
    expect(await eventually(async () => !(await isAlive(child)))).toBe(true);
  });

  it("on abort ends the script and its children", async () => {
    const pidFile = path.join(dir, "abort.pid");
    const controller = new AbortController();
    const run = local.exec({
      command: { script: `sleep 300 & echo $! > ${pidFile}; echo started; wait` },
      signal: controller.signal,
      onOutput: (_stream, chunk) => {
        if (chunk.toString().includes("started")) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    const child = Number(await readFile(pidFile, "utf8"));
    expect(await eventually(async () => !(await isAlive(child)))).toBe(true);
  });

  it("streams all output but keeps only up to the cap", async () => {
    const transport = new LocalTransport({ outputCapBytes: 1024 * 1024 });
    let streamed = 0;
    const result = await transport.exec({
      command: { argv: ["head", "-c", String(10 * 1024 * 1024), "/dev/zero"] },
      onOutput: (stream, chunk) => {
        if (stream === "stdout") streamed += chunk.length;
      },
    });
    expect(streamed).toBe(10 * 1024 * 1024);
    expect(result.stdout.length).toBe(1024 * 1024);
    expect(result.truncated).toBe(true);
    expect(result.exitCode).toBe(0);
  });

  it("a working directory that does not exist is named as such, not as a missing program", async () => {
    const missing = path.join(dir, "no-such-checkout");
    const error = await new LocalTransport({ cwd: missing })
      .exec({ command: { argv: ["git", "status"] }, step: "commit" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).not.toBeInstanceOf(MissingToolError);
    expect((error as Error).message).toBe(`cannot run git status: its working directory ${missing} does not exist`);
    expect(error).toMatchObject({ target: "local", step: "commit", command: "git status" });
  });

  it("an empty argv is a rejected promise (a bug in the plan), not a synchronous throw", async () => {
    const result = local.exec({ command: { argv: [] } });
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toBeInstanceOf(InternalError);
  });

  it("a program that is not installed is a MissingToolError naming it", async () => {
    const error = await local.exec({ command: { argv: ["recover-no-such-program", "x"] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingToolError);
    expect((error as Error).message).toMatch(/recover-no-such-program is not installed/);
  });
});
