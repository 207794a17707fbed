import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { labModel } from "../../../src/lab/model/lab-model.js";
import { parseLabOptions } from "../../../src/lab/model/lab-options.js";

describe("labModel", () => {
  const model = labModel("/lab", parseLabOptions({ nodes: "3", disks: "2" }), ["127.0.0.5", "127.0.0.6", "127.0.0.7"]);

  it("names nodes k3s1… and their disks as the operator's: k3s1 from sdf, the others from sdb", () => {
    expect(model.nodes.map((n) => [n.name, n.address, n.disks.map((d) => d.name)])).toEqual([
      ["k3s1", "127.0.0.5", ["sdf1", "sdg1"]],
      ["k3s2", "127.0.0.6", ["sdb1", "sdc1"]],
      ["k3s3", "127.0.0.7", ["sdb1", "sdc1"]],
    ]);
    expect(model.nodes[0]?.disks[0]).toMatchObject({
      byId: "/dev/disk/by-id/ata-RECOVER_LAB_DISK_k3s1-sdf",
      mount: "/mnt/longhorn/sdf1",
      image: "/lab/disks/k3s1-sdf.img",
    });
  });

  it("gives every disk of a lab its own size (loop devices have no serial to tell them apart)", () => {
    const sizes = model.nodes.flatMap((n) => n.disks.map((d) => d.sizeBytes));
    expect(new Set(sizes).size).toBe(6);
    expect(Math.min(...sizes)).toBe(256 * 1024 * 1024);
  });
});

describe("parseLabOptions", () => {
  it("defaults to 2 nodes, 3 disks, Longhorn 1.9.2 at real speed", () => {
    expect(parseLabOptions({})).toEqual({ nodes: 2, disks: 3, version: "1.9.2", speed: 1 });
    expect(parseLabOptions({ version: "v1.10.0", speed: "20" })).toMatchObject({ version: "1.10.0", speed: 20 });
  });

  it.each([
    [{ nodes: "0" }, "--nodes 0: expected a whole number from 1 to 9"],
    [{ disks: "2.5" }, "--disks 2.5: expected a whole number from 1 to 8"],
    [{ version: "latest" }, "--version latest: expected a Longhorn version like 1.9.2"],
    [{ speed: "0" }, "--speed 0: expected a number from 1 to 1000"],
  ])("refuses %o with an InputError (exit 2)", (raw, message) => {
    expect(() => parseLabOptions(raw)).toThrow(new InputError(message));
  });
});
