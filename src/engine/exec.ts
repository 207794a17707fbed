import type { ProbeAction } from "../plan/types.js";
import type { Command, ExecResult } from "../transports/types.js";
import { holdsSecret } from "./redact.js";
import type { Run } from "./run.js";

export interface ExecOptions {
  step: string;
  readOnly: boolean;
  timeoutMs?: number;
  signal: AbortSignal;
  /** Stream output as events (the step's own action, not its probes). */
  live?: boolean;
  /** The step's marker for its processes (see ExecRequest.runMarker). */
  runMarker?: string;
}

/**
 * The command and stdin of a resolved action. A script holding a secret goes to the remote
 * shell on stdin, so the secret never shows in a process list on the host.
 */
export function commandOf(action: ProbeAction, secrets: readonly string[]): { command: Command; stdin?: string } {
  if (action.kind !== "sh") return { command: { argv: action.argv } };
  if (!holdsSecret(action.script, secrets)) return { command: { script: action.script } };
  return { command: { argv: ["/bin/sh", "-s"] }, stdin: `set -eu\n${action.script}\n` };
}

/** Runs one resolved action on its target through the transport. */
export async function execOn(run: Run, action: ProbeAction, target: string | undefined, options: ExecOptions): Promise<ExecResult> {
  const transport = run.transport(target);
  await run.settle();
  const { command, stdin } = commandOf(action, run.options.secrets);
  // The plan's name for the target: resume opens it again to end a process left running.
  const targetName = target ?? "local";
  return transport.exec({
    command,
    ...(stdin !== undefined ? { stdin } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    signal: options.signal,
    readOnly: options.readOnly,
    step: options.step,
    ...(options.runMarker !== undefined ? { runMarker: options.runMarker } : {}),
    ...(options.live
      ? { onOutput: (stream, chunk) => run.emit({ type: "output", step: options.step, stream, text: chunk.toString("utf8") }) }
      : {}),
    ...(options.readOnly ? {} : { onStart: (p) => run.emit({ type: "process", step: options.step, target: targetName, ...p }) }),
  });
}

/** The last `max` characters of an output, for events and the journal. */
export const tail = (text: string, max = 2_000): string => (text.length > max ? `…${text.slice(-max)}` : text);

/** What `expect` sees as `result`: exit code, output, and JSON (kubectl's, or stdout that parses). */
export function resultValue(result: ExecResult): { exitCode: number; stdout: string; stderr: string; json: unknown } {
  let json = result.json;
  if (json === undefined) {
    try {
      json = JSON.parse(result.stdout);
    } catch {
      json = null;
    }
  }
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, json };
}
