import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkInventoryText } from "../../../src/inventory/load.js";
import { FIXTURE_GITOPS } from "../../../src/lab/gitops/build-repo.js";
import { renderLabInventory } from "../../../src/lab/gitops/lab-inventory.js";
import { labModel } from "../../../src/lab/model/lab-model.js";
import { parseLabOptions } from "../../../src/lab/model/lab-options.js";

describe("the lab's inventory", () => {
  const model = labModel("/lab", parseLabOptions({}), ["127.0.0.5", "127.0.0.6"]);
  const text = renderLabInventory(model, readFileSync(path.join(FIXTURE_GITOPS, "recover", "inventory.yaml"), "utf8"));

  it("is a valid inventory naming the lab's nodes, by-id devices and sizes, and the fixture's Flux objects", () => {
    const { inventory, diagnostics } = checkInventoryText("inventory.yaml", text);
    expect(diagnostics).toEqual([]);
    const loaded = inventory?.inventory;
    expect(loaded?.cluster).toEqual({ name: "k3s-flux-lab", context: "lab" });
    expect(loaded?.nodes.k3s2?.disks.map((d) => [d.device, d.size, d.serial])).toEqual([
      ["/dev/disk/by-id/ata-RECOVER_LAB_DISK_k3s2-sdb", 304 * 1024 * 1024, undefined],
      ["/dev/disk/by-id/ata-RECOVER_LAB_DISK_k3s2-sdc", 320 * 1024 * 1024, undefined],
      ["/dev/disk/by-id/ata-RECOVER_LAB_DISK_k3s2-sdd", 336 * 1024 * 1024, undefined],
    ]);
    expect(loaded?.flux.map((f) => f.name)).toEqual(["flux-system", "infrastructure-storage", "monitoring", "longhorn"]);
  });
});
