import { describe, expect, it } from "vitest";
import { refusal } from "../../../src/lab/host/device-guard.js";
import type { LabResource } from "../../../src/lab/state/state-file.js";

const resources: LabResource[] = [
  { kind: "loop", id: "loop:k3s1/sdf1", backingFile: "/lab/disks/k3s1-sdf.img", device: "/dev/loop3" },
  { kind: "loop", id: "loop:k3s1/sdg1", backingFile: "/elsewhere/k3s1-sdg.img", device: "/dev/loop4" },
  { kind: "loop", id: "loop:k3s1/sdh1", backingFile: "/lab/disks/k3s1-sdh.img" },
];

describe("the lab's device guard", () => {
  it("allows a loop device this lab attached, still backed by its file inside the lab", () => {
    expect(refusal(resources, "/lab", "/dev/loop3", "/lab/disks/k3s1-sdf.img")).toBeUndefined();
  });

  it.each([
    ["/dev/vda", "/lab/disks/k3s1-sdf.img", "/dev/vda is not a loop device"],
    ["/dev/loop3p1", "/lab/disks/k3s1-sdf.img", "/dev/loop3p1 is not a loop device"],
    ["/dev/loop9", "/lab/disks/k3s1-sdf.img", "/dev/loop9 is not a loop device this lab attached (state.json)"],
    ["/dev/loop3", "/other/lab/disk.img", "/dev/loop3 is backed by /other/lab/disk.img now, not by the lab's /lab/disks/k3s1-sdf.img"],
    ["/dev/loop3", undefined, "/dev/loop3 is backed by nothing now, not by the lab's /lab/disks/k3s1-sdf.img"],
    ["/dev/loop4", "/elsewhere/k3s1-sdg.img", "/dev/loop4's recorded file /elsewhere/k3s1-sdg.img is outside the lab's directory /lab"],
  ])("refuses %s (backed by %s)", (device, backing, why) => {
    expect(refusal(resources, "/lab", device, backing)).toBe(why);
  });
});
