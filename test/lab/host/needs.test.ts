import { describe, expect, it } from "vitest";
import { LabNeedsError, missingPackages, requireKubectl } from "../../../src/lab/host/needs.js";

describe("the lab's needs on a fresh machine", () => {
  it("names nothing on a machine that has every command", () => {
    expect(missingPackages(() => true)).toEqual([]);
  });

  it("names each Debian package once, for every command the lab and the runbooks run on a node", () => {
    expect(missingPackages(() => false)).toEqual([
      "openssh-server",
      "openssh-client",
      "sudo",
      "parted",
      "gdisk",
      "e2fsprogs",
      "mount",
      "util-linux",
      "psmisc",
      "git",
    ]);
  });

  it("installs psmisc when fuser is missing (disk-prepare names a busy mount's holders with fuser -vm)", () => {
    expect(missingPackages((command) => command !== "fuser")).toEqual(["psmisc"]);
  });

  it("refuses without kubectl, saying where to get it (apt-get has none recent enough)", () => {
    expect(() => requireKubectl(() => false)).toThrow(LabNeedsError);
    expect(() => requireKubectl(() => false)).toThrow(/needs kubectl[\s\S]*run: install kubectl \(https:\/\/kubernetes.io/);
    expect(() => requireKubectl((command) => command === "kubectl")).not.toThrow();
  });
});
