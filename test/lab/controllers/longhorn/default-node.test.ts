import { describe, expect, it } from "vitest";
import { defaultNode } from "../../../../src/lab/controllers/longhorn/default-node.js";
import { MIB } from "./fixtures.js";

const settings = { createDefaultDiskLabeledNodes: true, defaultDataPath: "/var/lib/longhorn/", reservedPercentage: 30 };
const size = (path: string) => ({ storageMaximum: 100 * MIB, fsid: path === "/same-b" ? "fs-same" : `fs-${path.replaceAll("/", "")}` });
const annotation = JSON.stringify([
  { name: "sdf1", path: "/mnt/longhorn/sdf1", allowScheduling: true },
  { path: "/mnt/longhorn/sdg1", allowScheduling: true, storageReserved: 5 },
]);

describe("the Node CR a starting manager creates (CreateDefaultNode, syncDefaultDisks)", () => {
  it("takes the disks of the annotation when the node is labeled create-default-disk=config", () => {
    const cr = defaultNode(
      "k3s1",
      {
        labels: { "node.longhorn.io/create-default-disk": "config" },
        annotations: { "node.longhorn.io/default-disks-config": annotation },
      },
      settings,
      size,
    );
    expect(cr.spec.disks).toEqual({
      sdf1: {
        path: "/mnt/longhorn/sdf1",
        diskType: "filesystem",
        allowScheduling: true,
        evictionRequested: false,
        storageReserved: (30 * MIB * 100) / 100,
        tags: [],
      },
      "default-disk-fs-mntlonghornsdg1": {
        path: "/mnt/longhorn/sdg1",
        diskType: "filesystem",
        allowScheduling: true,
        evictionRequested: false,
        storageReserved: 5,
        tags: [],
      },
    });
    expect(cr.metadata.finalizers).toEqual(["longhorn.io"]);
  });

  it("creates no disk without the label, or with an invalid annotation (ignored whole)", () => {
    expect(defaultNode("k3s1", { labels: {}, annotations: {} }, settings, size).spec.disks).toEqual({});
    const duplicate = JSON.stringify([{ path: "/a" }, { path: "/a" }]);
    const labels = { "node.longhorn.io/create-default-disk": "config" };
    expect(
      defaultNode("k3s1", { labels, annotations: { "node.longhorn.io/default-disks-config": duplicate } }, settings, size).spec.disks,
    ).toEqual({});
  });

  it("uses default-data-path for create-default-disk=true, or for every node when the setting is off", () => {
    const labeled = defaultNode("k3s1", { labels: { "node.longhorn.io/create-default-disk": "true" }, annotations: {} }, settings, size);
    expect(Object.values(labeled.spec.disks).map((d) => d.path)).toEqual(["/var/lib/longhorn/"]);
    const unlabeled = defaultNode("k3s1", { labels: {}, annotations: {} }, { ...settings, createDefaultDiskLabeledNodes: false }, size);
    expect(Object.values(unlabeled.spec.disks).map((d) => d.path)).toEqual(["/var/lib/longhorn/"]);
  });
});
