import { checkInventoryText, type LoadedInventory } from "../../src/inventory/load.js";
import { plan } from "../../src/plan/plan.js";
import type { Plan } from "../../src/plan/types.js";
import { checkRunbookText, type LoadedRunbook } from "../../src/runbook/load.js";
import { bindParams, type ParamInput } from "../../src/runbook/params.js";
import { formatDiagnostics } from "../../src/source/diagnostics.js";

/** Loads runbook text and fails the test with the formatted diagnostics when it does not validate. */
export function runbookFrom(text: string, file = "test.yaml", runbooks: Map<string, LoadedRunbook> = new Map()): LoadedRunbook {
  const { runbook, diagnostics } = checkRunbookText(file, text, { findRunbook: (n) => runbooks.get(n)?.spec });
  if (!runbook) throw new Error(formatDiagnostics(diagnostics));
  return runbook;
}

export function inventoryFrom(text: string, file = "inventory.yaml"): LoadedInventory {
  const { inventory, diagnostics } = checkInventoryText(file, text);
  if (!inventory) throw new Error(formatDiagnostics(diagnostics));
  return inventory;
}

export function planFrom(
  text: string,
  input: Partial<ParamInput> = {},
  extra: { inventory?: LoadedInventory; runbooks?: Map<string, LoadedRunbook> } = {},
): Plan {
  const runbook = runbookFrom(text, "test.yaml", extra.runbooks);
  const params = bindParams(runbook.spec, { positional: input.positional ?? [], named: input.named ?? {} });
  return plan({ runbook, params, ...extra });
}

/** A runbook header with one ssh and one kubectl target, for short test runbooks. */
export const HEADER = `apiVersion: recover/v1
kind: Runbook
metadata: {name: t}
summary: test
targets:
  host: {ssh: {host: "\${{ params.node }}"}}
  cluster: {kubectl: {context: lab}}
params:
  node: {type: string, positional: true, pattern: "[a-z0-9-]+"}
`;
