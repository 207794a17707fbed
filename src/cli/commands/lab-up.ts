import { injectFault } from "../../lab/fault-client.js";
import { parseFaultFlag } from "../../lab/faults/lab-fault.js";
import { labStatus } from "../../lab/status.js";
import { renderUpSummary } from "../../lab/status-text.js";
import { labUp } from "../../lab/up.js";

export interface LabUpOptions {
  dir?: string;
  nodes: string;
  disks: string;
  version: string;
  speed: string;
  fault: string[];
}

/** `recover lab up`: builds a lab, relaying its progress on stderr, and prints what it built and how to use it. */
export async function labUpCommand(opts: LabUpOptions): Promise<void> {
  const started = performance.now();
  const faults = opts.fault.map(parseFaultFlag);
  const { fault: _, ...options } = opts;
  const state = await labUp({
    ...options,
    commandLine: ["recover", ...process.argv.slice(2)].join(" "),
    log: (line) => process.stderr.write(`recover lab: ${line}\n`),
  });
  process.stderr.write(`recover lab: up in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  for (const fault of faults) {
    const info = await injectFault(state.dir, fault);
    process.stderr.write(`recover lab: fault ${info.id}: ${info.description}\n`);
  }
  process.stdout.write(renderUpSummary(await labStatus(state.dir)));
}
