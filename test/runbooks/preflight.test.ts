// preflight against a real sshd host with loop-device disks and the emulator: a node ready for a
// recovery passes; one that is not is refused before anything changes, with every problem at once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/events.js";
import { type SshHarness, startSshHarness } from "../helpers/sshd.js";
import { lh } from "./support/fake-longhorn.js";
import { type NodeLab, startNodeLab } from "./support/node-run.js";

let ssh: SshHarness;
let lab: NodeLab | undefined;

beforeAll(async () => {
  ssh = await startSshHarness();
  await ssh.startHost("k3s1");
}, 60_000);
afterAll(async () => {
  await ssh?.cleanup();
});
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

const verdict = (events: EngineEvent[]) =>
  events.find((e) => e.type === "step" && e.step === "verdict" && (e.state === "failed" || e.state === "succeeded"));

describe("preflight", () => {
  it("passes for a node whose replicas can go elsewhere, reading each disk, iSCSI and util-linux", async () => {
    lab = await startNodeLab(ssh, { longhorn: "1.9" });
    const result = await lab.run({ runbook: "preflight" });
    expect(result.exitCode, JSON.stringify(result.reason)).toBe(0);
    const outputs = lab.events.flatMap((e) => (e.type === "output" ? [e.text] : [])).join("");
    expect(outputs).toContain("ok: 3 disks as the inventory says, unheld");
    expect(outputs).toContain("ok: room for 1 replicas elsewhere");
    expect(outputs).toContain("ok: Longhorn v1.9.2");
  }, 300_000);

  it("refuses with every problem at once, and changes nothing", async () => {
    lab = await startNodeLab(ssh, { longhorn: "1.9" });
    await lab.kube.api.control.load([
      lh("Engine", "pvc-web-e-0", { spec: { nodeID: "k3s1", volumeName: "pvc-web" } }),
      lh("Volume", "pvc-broken", { spec: { numberOfReplicas: 1 }, status: { robustness: "faulted" } }),
      // A replica on a disk Longhorn does not know (not Ready): the volume's only copy.
      lh("Volume", "pvc-lonely", { spec: { numberOfReplicas: 1 } }),
      lh("Replica", "pvc-lonely-r-0", { spec: { nodeID: "k3s1", diskID: "not-a-disk", volumeName: "pvc-lonely", volumeSize: "1048576" } }),
    ]);
    // No simulated systemctl: this machine runs no iscsid.
    const result = await lab.run({ runbook: "preflight", shims: false });
    expect(result.exitCode).toBe(3);
    const reason = (verdict(lab.events) as { reason?: string } | undefined)?.reason ?? "";
    expect(reason).toContain("k3s1 is not ready for a disk recovery");
    expect(reason).toContain("volumes are attached on k3s1 (Engine pvc-web-e-0)");
    expect(reason).toContain("faulted volumes (pvc-broken)");
    expect(reason).toContain("iSCSI is not ready on k3s1");
    expect(reason).toContain("that Longhorn cannot read are their volume's only copy (pvc-lonely-r-0)");
    expect(reason.split(" | ")).toHaveLength(4);
    expect(lab.kube.api.control.requests().filter((r) => r.method !== "GET")).toEqual([]);
  }, 300_000);
});
