import type { LoadedInventory } from "../../inventory/load.js";
import type { Plan } from "../../plan/types.js";
import { type LocalFinding, warning } from "./finding.js";

/** Names that follow the disk, not the order the kernel found it in. */
const STABLE = /^\/dev\/disk\/by-(id|path)\//;

/**
 * Every inventory device the plan touches has a stable name: /dev/sdX (or a by-uuid/by-label name,
 * which a wipe changes) can point at another disk after a reboot, and the wipe would follow it.
 */
export function checkStableDevices(plan: Plan, loaded: LoadedInventory | undefined): LocalFinding[] {
  if (!loaded) return [];
  const planText = JSON.stringify(plan.stages);
  const findings: LocalFinding[] = [];
  for (const [node, spec] of Object.entries(loaded.inventory.nodes)) {
    for (const disk of spec.disks) {
      if (STABLE.test(disk.device) || !planText.includes(JSON.stringify(disk.device).slice(1, -1))) continue;
      findings.push(
        warning(
          "devices",
          `disk ${disk.name} of node ${node} is ${disk.device} in the inventory: a kernel or filesystem name can point at another disk after a reboot or a wipe`,
          `name it by its /dev/disk/by-id/… link (ls -l /dev/disk/by-id/ on ${node}) in ${loaded.file}`,
        ),
      );
    }
  }
  return findings;
}
