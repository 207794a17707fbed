import { existsSync } from "node:fs";
import { join } from "node:path";
import { ExitCode, InputError } from "../../errors.js";
import { loadInventoryFile } from "../../inventory/load.js";
import { inventoryTargets } from "../../plan/inventory-targets.js";
import { checkCluster } from "../../preflight/cluster-check.js";
import { checkHost } from "../../preflight/host-check.js";
import type { CheckOutcome } from "../../preflight/outcome.js";
import { checkLocalTools } from "../../preflight/tools-check.js";
import { openTransport } from "../../transports/open.js";
import type { TransportTarget } from "../../transports/target.js";
import type { Transport } from "../../transports/types.js";
import { parseDurationFlag } from "../options.js";
import { terminalPrompter } from "../prompter.js";
import { gitopsDir } from "./prepare.js";

export interface CheckOptions {
  gitops?: string;
  inventory?: string;
  sshConfig?: string;
  acceptNewHostKey?: boolean;
  timeout: string;
}

/** `recover check [NODE…]`: can this machine reach everything a run needs? Read-only; exit 0 or 1. */
export async function checkCommand(nodes: string[], opts: CheckOptions): Promise<ExitCode> {
  const timeoutMs = parseDurationFlag("--timeout", opts.timeout);
  const gitops = gitopsDir(opts.gitops);
  const file = opts.inventory ?? (gitops ? join(gitops, "recover", "inventory.yaml") : undefined);
  if (!file || !existsSync(file))
    throw new InputError(
      file ? `inventory ${file} does not exist` : "no inventory: recover check reads the nodes and cluster from it",
      "pass --gitops DIR (the checkout holding recover/inventory.yaml) or --inventory FILE",
    );
  const loaded = loadInventoryFile(file);
  const { inventory } = loaded;
  const known = Object.keys(inventory.nodes);
  const unknown = nodes.filter((n) => !known.includes(n));
  if (unknown.length > 0)
    throw new InputError(`node ${unknown.join(", ")} is not in ${file}`, `nodes in the inventory: ${known.join(", ")}`);

  const targets = inventoryTargets(loaded, nodes.length > 0 ? nodes : known);
  const prompter = terminalPrompter();
  const open = (target: TransportTarget) =>
    openTransport(target, {
      ...(opts.sshConfig ? { sshConfig: opts.sshConfig } : {}),
      acceptNewHostKey: opts.acceptNewHostKey === true,
      ...(prompter ? { prompter } : {}),
      onNotice: (message) => process.stderr.write(`recover: ${message}\n`),
    });
  const kubectl = open(targets.cluster);
  const hosts = [...targets.nodes].map(([name, target]) => ({ name, transport: open(target) }));
  const transports: Transport[] = [kubectl, ...hosts.map((h) => h.transport)];
  try {
    const outcomes = await Promise.all([
      checkLocalTools(),
      checkCluster(kubectl, timeoutMs),
      ...hosts.map(({ name, transport }) => checkHost(name, transport, timeoutMs)),
    ]);
    print(outcomes);
    return outcomes.every((o) => o.ok) ? ExitCode.Ok : ExitCode.Failed;
  } finally {
    await Promise.all(transports.map((t) => t.close()));
  }
}

function print(outcomes: CheckOutcome[]): void {
  const width = Math.max(...outcomes.map((o) => o.subject.length));
  for (const o of outcomes) {
    const [first, ...rest] = o.detail.split("\n");
    const continuation = rest.map((line) => `\n${" ".repeat(width + 4)}${line}`).join("");
    process.stdout.write(`${o.ok ? "✓" : "✗"} ${o.subject.padEnd(width)}  ${first}${continuation}\n`);
  }
  const failed = outcomes.filter((o) => !o.ok).length;
  process.stdout.write(failed === 0 ? "all checks passed\n" : `${failed} check${failed === 1 ? "" : "s"} failed; nothing was changed\n`);
}
