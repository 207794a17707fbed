import { collector } from "../source/collector.js";
import type { Diagnostic } from "../source/diagnostics.js";
import { repairForRules, underRepaired } from "../source/lenient.js";
import { readText } from "../source/read-text.js";
import { SourceDocument } from "../source/source-document.js";
import { ValidationError } from "../source/validation-error.js";
import { diagnosticsFromZod } from "../source/zod-issues.js";
import { findCycle } from "../util/graph.js";
import { mountProblem, prefixProblem } from "./mount-rules.js";
import { type Inventory, inventorySchema } from "./schema.js";

export interface LoadedInventory {
  file: string;
  inventory: Inventory;
}

/** Parses and validates inventory text; every problem at once. */
export function checkInventoryText(file: string, text: string): { inventory?: LoadedInventory; diagnostics: Diagnostic[] } {
  const { doc, diagnostics } = SourceDocument.parse(file, text);
  if (!doc) return { diagnostics };
  const data = doc.data;
  if (data && typeof data === "object" && !Object.hasOwn(data, "apiVersion") && !Object.hasOwn(data, "kind")) {
    // Not meant as an inventory: no field-by-field report that would repeat its keys.
    const hint = "an inventory starts with apiVersion: recover/v1 and kind: Inventory (docs/runbook-language.md, section 12)";
    return { diagnostics: [doc.diagnostic([], "", "not an inventory: it has neither apiVersion nor kind", hint)] };
  }
  const parsed = inventorySchema.safeParse(doc.data ?? undefined);
  const schemaProblems = parsed.success ? [] : diagnosticsFromZod(doc, parsed.error.issues, "inventory", inventorySchema);
  const fixed = parsed.success ? { value: parsed.data, repaired: [] } : repairForRules(inventorySchema, doc.data, parsed.error.issues);
  if (!fixed) return { diagnostics: schemaProblems };
  const inventory = fixed.value;
  const { report, diagnostics: found } = collector(doc);
  for (const [i, prefix] of inventory.mountPrefixes.entries()) {
    const problem = prefixProblem(prefix);
    if (problem)
      report(["mountPrefixes", i], `mount prefix "${prefix}" ${problem}`, "name the directories data disks are mounted below, e.g. /mnt");
  }
  const prefixes = inventory.mountPrefixes.filter((p) => !prefixProblem(p));
  for (const [nodeName, node] of Object.entries(inventory.nodes)) {
    for (const [i, disk] of node.disks.entries()) {
      const problem = mountProblem(disk.mount, prefixes);
      if (problem)
        report(
          ["nodes", nodeName, "disks", i, "mount"],
          `disk "${disk.name}" of node ${nodeName}: mount ${disk.mount} ${problem}`,
          "a data disk is mounted strictly below a data-disk prefix (mountPrefixes, default /mnt, /media, /srv, /data, /var/lib/longhorn); recover rewrites its fstab line and wipes what is behind it",
        );
    }
    const seen = { name: new Map<string, number>(), device: new Map<string, number>(), mount: new Map<string, number>() };
    for (const [i, disk] of node.disks.entries()) {
      for (const field of ["name", "device", "mount"] as const) {
        const first = seen[field].get(disk[field]);
        if (first !== undefined)
          report(
            ["nodes", nodeName, "disks", i, field],
            `disk ${field} "${disk[field]}" is also disks[${first}] of node ${nodeName}`,
            `each disk of a node needs its own ${field}`,
          );
        else seen[field].set(disk[field], i);
      }
      if (disk.serial === undefined && disk.size === undefined) {
        report(
          ["nodes", nodeName, "disks", i],
          `disk "${disk.name}" of node ${nodeName} has neither serial nor size`,
          "give its serial (lsblk -d -o NAME,SERIAL,SIZE -b): recover checks it before any wipe",
        );
      }
    }
  }
  const key = (o: { namespace: string; name: string }) => `${o.namespace}/${o.name}`;
  const index = new Map(inventory.flux.map((o, i) => [key(o), i]));
  const parentOf = (i: number): number | undefined => {
    const o = inventory.flux[i];
    if (!o?.parent) return undefined;
    const ref = o.parent.includes("/") ? o.parent : `flux-system/${o.parent}`;
    return index.get(ref);
  };
  for (const [i, o] of inventory.flux.entries()) {
    if (o.parent === undefined) continue;
    const p = parentOf(i);
    if (p === undefined)
      report(
        ["flux", i, "parent"],
        `parent "${o.parent}" is not a Kustomization listed in flux`,
        "list the parent first (suspend goes parents first)",
      );
    else if (inventory.flux[p]?.kind !== "Kustomization")
      report(["flux", i, "parent"], `parent "${o.parent}" is a ${inventory.flux[p]?.kind}; only a Kustomization applies other objects`);
    else if (p > i)
      report(
        ["flux", i, "parent"],
        `parent "${o.parent}" is listed after its child ${key(o)}`,
        "move the parent above: suspend goes parents first, resume in reverse",
      );
  }
  const cycle = findCycle(inventory.flux.map(key), (id) => {
    const p = parentOf(index.get(id) as number);
    return p === undefined ? [] : [key(inventory.flux[p] as Inventory["flux"][number])];
  });
  if (cycle) report(["flux"], `parent cycle: ${cycle.join(" → ")}`);
  const problems = [...schemaProblems, ...found.filter((d) => !underRepaired(d.path, fixed.repaired))];
  if (problems.length > 0) return { diagnostics: problems };
  return { inventory: { file, inventory }, diagnostics: [] };
}

export function loadInventoryFile(file: string): LoadedInventory {
  const { inventory, diagnostics } = checkInventoryText(file, readText(file, "inventory"));
  if (!inventory) throw new ValidationError(diagnostics);
  return inventory;
}
