import { stat } from "node:fs/promises";
import { execa } from "execa";
import { AbortedError, MissingToolError, TimeoutError, TransportError } from "./errors.js";
import { OutputBuffer } from "./output-buffer.js";
import { RUN_MARKER } from "./run-marker.js";
import { describeCommand } from "./script.js";
import type { ExecRequest, ExecResult } from "./types.js";

/** A local program to start: argv only, never through a shell. */
export interface ProcessSpec {
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ProcessContext {
  /** Names the transport in errors: "local", a kube context. */
  target: string;
  outputCapBytes: number;
  /** How to install `file` when it is missing. */
  installHint?: string;
}

const KILL_GRACE_MS = 2_000;

const isDirectory = (dir: string): Promise<boolean> =>
  stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );

/**
 * Runs one local process for a transport: streams output, keeps it up to a cap, and on
 * timeout or abort ends the whole process group (a script's children too).
 */
export async function runProcess(spec: ProcessSpec, request: ExecRequest, context: ProcessContext): Promise<ExecResult> {
  const started = performance.now();
  const display = describeCommand(request.command);
  const errorContext = { target: context.target, command: display, step: request.step };
  const where = request.step ? `${context.target}, step ${request.step}` : context.target;
  if (request.signal?.aborted) throw new AbortedError(`aborted before it started: ${display}`, errorContext);

  const stdout = new OutputBuffer(context.outputCapBytes);
  const stderr = new OutputBuffer(context.outputCapBytes);
  const marked = request.runMarker === undefined ? {} : { [RUN_MARKER]: request.runMarker };
  const subprocess = execa(spec.file, spec.args, {
    env: { ...spec.env, ...marked },
    extendEnv: spec.env === undefined,
    cwd: spec.cwd,
    input: request.stdin ?? "",
    timeout: request.timeoutMs,
    cancelSignal: request.signal,
    killDescendants: true,
    forceKillAfterDelay: KILL_GRACE_MS,
    buffer: false,
    reject: false,
    stripFinalNewline: false,
  });
  if (subprocess.pid !== undefined)
    request.onStart?.({ pid: subprocess.pid, ...(request.runMarker === undefined ? {} : { runMarker: request.runMarker }) });
  subprocess.stdout.on("data", (chunk: Buffer) => {
    stdout.push(chunk);
    request.onOutput?.("stdout", chunk);
  });
  subprocess.stderr.on("data", (chunk: Buffer) => {
    stderr.push(chunk);
    request.onOutput?.("stderr", chunk);
  });
  const result = await subprocess;
  const durationMs = Math.round(performance.now() - started);
  const withDuration = { ...errorContext, durationMs };

  if ((result as { code?: string }).code === "ENOENT" && result.exitCode === undefined) {
    // Node reports a missing cwd exactly like a missing program.
    if (spec.cwd !== undefined && !(await isDirectory(spec.cwd))) {
      throw new TransportError(`cannot run ${display}: its working directory ${spec.cwd} does not exist`, withDuration);
    }
    throw new MissingToolError(
      `${spec.file} is not installed (not found on PATH)${context.installHint ? `: ${context.installHint}` : ""}`,
      withDuration,
    );
  }
  if (result.timedOut) {
    const seconds = Math.round((request.timeoutMs ?? 0) / 100) / 10;
    throw new TimeoutError(`timed out after ${seconds} s: ${display} (${where}); it was stopped`, withDuration, request.timeoutMs ?? 0);
  }
  if (result.isCanceled) throw new AbortedError(`aborted: ${display} (${where}); it was stopped`, withDuration);
  if (result.exitCode === undefined && result.signal === undefined) {
    throw new MissingToolError(`could not start ${spec.file}: ${result.originalMessage ?? result.message}`, withDuration);
  }
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    stdout: stdout.text(),
    stderr: stderr.text(),
    stdoutBytes: stdout.bytes(),
    stderrBytes: stderr.bytes(),
    truncated: stdout.truncated || stderr.truncated,
    durationMs,
  };
}
