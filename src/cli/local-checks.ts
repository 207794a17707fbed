import { ExitCode } from "../errors.js";
import type { LoadedInventory } from "../inventory/load.js";
import type { Plan } from "../plan/types.js";
import { checkoutOnDisk } from "../preflight/local/checkout-reader.js";
import type { LocalFinding } from "../preflight/local/finding.js";
import { gitRunner } from "../preflight/local/git-runner.js";
import { type LocalPrecheckResult, localPrechecks } from "../preflight/local/local-prechecks.js";
import { openTransport } from "../transports/open.js";

/** The dry-run's local prechecks against this machine's checkout (git runs through the local transport). */
export async function runLocalChecks(plan: Plan, inventory: LoadedInventory | undefined): Promise<LocalPrecheckResult> {
  const local = openTransport({ kind: "local" });
  try {
    const checkout = plan.gitops ? { files: checkoutOnDisk(plan.gitops.dir), git: gitRunner(local, plan.gitops.dir) } : {};
    return await localPrechecks({ plan, ...(inventory ? { inventory } : {}), ...checkout, base: process.cwd() });
  } finally {
    await local.close();
  }
}

/** Prints the findings on stderr, errors last; returns the exit code they call for (2 when any is an error). */
export function reportFindings(findings: readonly LocalFinding[]): ExitCode {
  const ordered = [...findings.filter((f) => f.level === "warning"), ...findings.filter((f) => f.level === "error")];
  for (const f of ordered) process.stderr.write(`recover: ${f.level}: ${f.message}\n${f.hint ? `  hint: ${f.hint}\n` : ""}`);
  const errors = findings.filter((f) => f.level === "error").length;
  if (errors === 0) return ExitCode.Ok;
  process.stderr.write(
    `recover: the local checks found ${errors} error${errors === 1 ? "" : "s"}: this plan cannot run as it is; nothing was run.\n`,
  );
  return ExitCode.InvalidInput;
}
