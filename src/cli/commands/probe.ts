import { systemClock } from "../../engine/clock.js";
import { probePlan } from "../../engine/probe.js";
import { renderText } from "../../preview/text.js";
import { openTransport } from "../../transports/open.js";
import { terminalPrompter } from "../prompter.js";
import type { PlanOptions } from "./prepare.js";
import { prepareRun } from "./prepare.js";

export interface ProbeOptions extends PlanOptions {
  sshConfig?: string;
  acceptNewHostKey?: boolean;
}

/**
 * `--dry-run --probe`: the preview, then what the live targets say now — which steps would be
 * skipped as already done and which guard would stop the run. Only read-only commands are sent.
 */
export async function probeCommand(runbook: string, args: string[], opts: ProbeOptions): Promise<number> {
  const prepared = prepareRun(runbook, args, opts);
  const { plan } = prepared;
  process.stdout.write(renderText(plan, { base: process.cwd(), color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }));
  const prompter = terminalPrompter();
  const notes = await probePlan(
    plan,
    {
      openTransport: (_name, target) =>
        openTransport(target, {
          ...(opts.sshConfig ? { sshConfig: opts.sshConfig } : {}),
          acceptNewHostKey: opts.acceptNewHostKey === true,
          ...(prompter ? { prompter } : {}),
          ...(prepared.repoDir ? { cwd: prepared.repoDir } : {}),
          onNotice: (message) => process.stderr.write(`recover: ${message}\n`),
        }),
      clock: systemClock,
    },
    {
      context: { params: prepared.params, inventory: prepared.inventory?.inventory ?? {}, repo: { dir: prepared.repoDir ?? "." } },
      secrets: prepared.secrets,
    },
  );
  const width = Math.max(...notes.map((n) => n.step.length));
  process.stdout.write(`\nProbe — read-only checks against the live targets, nothing changed:\n`);
  for (const n of notes) process.stdout.write(`  ${n.step.padEnd(width)}  ${n.note}\n`);
  return 0;
}
