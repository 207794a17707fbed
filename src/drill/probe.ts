/** One evaluation of a probe: its command through the lab's transports, then its CEL condition. */
import { resultValue } from "../engine/exec.js";
import { evaluate } from "../expr/cel.js";
import type { ExecResult } from "../transports/types.js";
import type { ProbeTransports } from "./ports.js";
import type { ProbeSpec } from "./scenario.js";

export interface ProbeObservation {
  holds: boolean;
  /** What the probe saw, trimmed, for the report. */
  seen: string;
  at: number;
}

const tail = (text: string, max = 600) => (text.length > max ? `…${text.slice(-max)}` : text);

async function exec(probe: ProbeSpec, transports: ProbeTransports, signal?: AbortSignal): Promise<ExecResult> {
  const common = { readOnly: true, timeoutMs: 30_000, step: `probe ${probe.name}`, ...(signal ? { signal } : {}) };
  if (probe.kubectl) return transports.kubectl().exec({ command: { argv: probe.kubectl }, ...common });
  if (probe.ssh) return transports.ssh(probe.ssh.node).exec({ command: { script: probe.ssh.sh }, ...common });
  const local = transports.local();
  await local.exec({ command: { argv: ["git", "fetch", "--quiet", "origin"] }, ...common });
  return local.exec({ command: { argv: ["git", ...(probe.git ?? [])] }, ...common });
}

/** Runs the probe once; a probe that cannot run does not hold, and says why. */
export async function observe(
  probe: ProbeSpec,
  transports: ProbeTransports,
  now: () => number,
  signal?: AbortSignal,
): Promise<ProbeObservation> {
  const at = now();
  let result: ReturnType<typeof resultValue>;
  try {
    result = resultValue(await exec(probe, transports, signal));
  } catch (error) {
    return { holds: false, seen: `could not run: ${(error as Error).message}`, at };
  }
  const seen = tail([`exit ${result.exitCode}`, result.stdout.trim(), result.stderr.trim()].filter(Boolean).join("; "));
  try {
    const holds = evaluate(probe.expect, { result: "dyn" }, { result }) === true;
    return { holds, seen, at };
  } catch (error) {
    return { holds: false, seen: `${seen} — expect failed: ${(error as Error).message.split("\n")[0]}`, at };
  }
}
