// longhorn-node end to end on this machine: a real sshd host with loop-device disks, the real
// kubectl against the emulator (Longhorn's webhook, simulated Longhorn and Flux), a real Git remote.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/events.js";
import { replay } from "../../src/engine/run-state.js";
import { type SshHarness, startSshHarness } from "../helpers/sshd.js";
import { type NodeLab, startNodeLab } from "./support/node-run.js";
import { atRemote } from "./support/test-checkpoints.js";

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

const blkidUuid = (dev: string) => execFileSync("blkid", ["-p", "-s", "UUID", "-o", "value", dev], { encoding: "utf8" }).trim();
const steps = (events: EngineEvent[], state: string) => events.flatMap((e) => (e.type === "step" && e.state === state ? [e.step] : []));
type LonghornNode = {
  spec: { allowScheduling: boolean; disks: Record<string, { path: string; allowScheduling: boolean }> };
  status: { diskStatus: Record<string, { diskUUID: string; storageMaximum: number }> };
};

/** What is under a mounted directory: bind-mounting the parent alone shows the directories themselves. */
function attrsUnderMount(dir: string): string {
  const view = mkdtempSync(path.join(tmpdir(), "recover-under-"));
  try {
    execFileSync("mount", ["--bind", path.dirname(dir), view]);
    try {
      return execFileSync("lsattr", ["-d", path.join(view, path.basename(dir))], { encoding: "utf8" }).split(" ")[0] ?? "";
    } finally {
      execFileSync("umount", [view]);
    }
  } finally {
    rmSync(view, { recursive: true, force: true });
  }
}

describe("longhorn-node", () => {
  it("replaces every disk: Git safe first, disk-level path (1.10 webhook), new keys from the new filesystems, fstab literal, Flux back", async () => {
    lab = await startNodeLab(ssh, { longhorn: "1.10" });
    const result = await lab.run();
    expect(result.exitCode, JSON.stringify(result.reason)).toBe(0);

    // The Node CR was never deleted: the same object, with exactly the new disks.
    const node = lab.get("longhorn.io/v1beta2", "Node", "k3s1", "longhorn-system") as unknown as LonghornNode;
    const keys = lab.disks.disks.map((d) => `${d.name}-${blkidUuid(d.part).slice(0, 8)}`);
    expect(Object.keys(node.spec.disks).sort()).toEqual([...keys].sort());
    for (const [i, d] of lab.disks.disks.entries()) {
      const key = keys[i] as string;
      const fsUuid = blkidUuid(d.part);
      expect(fsUuid).not.toBe(d.oldFsUuid); // mkfs ran on a wiped partition: not the old filesystem
      expect(node.spec.disks[key]).toMatchObject({ path: d.mount, allowScheduling: true });
      const cfg = JSON.parse(readFileSync(path.join(d.mount, "longhorn-disk.cfg"), "utf8"));
      expect(node.status.diskStatus[key]?.diskUUID).toBe(cfg.diskUUID);
      expect(cfg.diskUUID).not.toBe(d.oldDiskUuid);
      expect(node.status.diskStatus[key]?.storageMaximum).toBeLessThanOrEqual(d.size);
      // The empty directory under the mount is immutable: nothing can write a disk there unmounted.
      expect(attrsUnderMount(d.mount)).toContain("i");
    }
    expect(node.spec.allowScheduling).toBe(true);

    // fstab: one line per disk by its new UUID (nofail); stale lines for the disk gone; others kept.
    const fstab = readFileSync(lab.disks.fstab, "utf8").split("\n");
    for (const d of lab.disks.disks) {
      expect(fstab.filter((l) => l.split(/\s+/)[1] === d.mount)).toEqual([`UUID=${blkidUuid(d.part)} ${d.mount} ext4 defaults,nofail 0 2`]);
      expect(fstab.some((l) => l.includes(`disk-${d.name}`))).toBe(false);
      expect(fstab.some((l) => l.includes(d.mount.replace(/\.(?=[^.]*$)/, "x")))).toBe(true);
      expect(fstab.some((l) => l.startsWith(`UUID=${d.oldFsUuid}`))).toBe(false);
    }
    expect(fstab).toContain("UUID=0000-ROOT / ext4 defaults 0 1");

    // Git: the safe state was committed and pushed before anything in the cluster changed...
    expect(lab.checkpoints.commits.map((c) => c.stage)).toEqual(["safe-git", "final-git"]);
    const firstMutation = lab.events.findIndex(
      (e) => e.type === "step" && e.state === "running" && e.step === "suspend.suspend-top[flux-system]",
    );
    const safeCommitted = lab.events.findIndex((e) => e.type === "checkpoint" && e.stage === "safe-git");
    expect(safeCommitted).toBeGreaterThan(-1);
    expect(safeCommitted).toBeLessThan(firstMutation);
    const safe = execFileSync("git", ["--git-dir", lab.remote, "show", "main~1:infrastructure/k3s1-node-config/k3s1-node.yaml"], {
      encoding: "utf8",
    });
    expect(safe).toContain("kustomize.toolkit.fluxcd.io/reconcile: disabled");
    // ...and now describes the new disks, Flux allowed back on the Node CR.
    const final = atRemote(lab.remote, "infrastructure/k3s1-node-config/k3s1-node.yaml");
    expect(final).not.toContain("reconcile: disabled");
    for (const key of keys) expect(final).toContain(`${key}:`);
    expect(final).not.toMatch(/^ {4}sdf1:/m);
    const labels = atRemote(lab.remote, "infrastructure/k3s1-node-config/k3s1-labels.yaml");
    expect(labels).toContain("node.longhorn.io/create-default-disk: config");
    for (const key of keys) expect(labels).toContain(`"name":"${key}"`);

    // The label is back on the node, with the annotation naming the new disks; the replica was evicted.
    const kubeNode = lab.get("v1", "Node", "k3s1");
    expect(kubeNode?.metadata.labels?.["node.longhorn.io/create-default-disk"]).toBe("config");
    for (const key of keys) expect(kubeNode?.metadata.annotations?.["node.longhorn.io/default-disks-config"]).toContain(`"name":"${key}"`);
    const replica = lab.get("longhorn.io/v1beta2", "Replica", "pvc-data-r-1", "longhorn-system");
    expect(replica?.spec).toMatchObject({ nodeID: "k3s2" });

    // Flux: resumed, nothing left recorded as suspended by this recovery.
    for (const name of ["flux-system", "infrastructure-storage", "monitoring"]) {
      const k = lab.get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", name, "flux-system");
      expect(k?.spec).toMatchObject({ suspend: false });
      expect(k?.metadata.annotations?.["recover/suspended-by"]).toBeUndefined();
    }

    // Run again: already recovered, so nothing is wiped or changed in the cluster.
    lab.events.length = 0;
    const again = await lab.run();
    expect(again.exitCode, JSON.stringify(again.reason)).toBe(0);
    expect(steps(lab.events, "running").filter((s) => /wipe|format|add-disk|disks-off|remove-disks|suspend-/.test(s))).toEqual([]);
    expect(
      Object.keys((lab.get("longhorn.io/v1beta2", "Node", "k3s1", "longhorn-system") as unknown as LonghornNode).spec.disks).sort(),
    ).toEqual([...keys].sort());
  }, 600_000);

  it("a busy disk after the point of no return stops the run naming its holder; Flux stays suspended; resume finishes", async () => {
    lab = await startNodeLab(ssh, { longhorn: "1.9" });
    const busy = lab.disks.disks[1];
    if (!busy) throw new Error("no second disk");
    const holder = spawn("sleep", [ssh.uniqueSleep()], { cwd: busy.mount, stdio: "ignore" });
    try {
      const first = await lab.run();
      expect(first.exitCode).toBe(1);
      const failed = lab.events.find((e) => e.type === "step" && e.state === "failed");
      const output = lab.events.flatMap((e) => (e.type === "output" ? [e.text] : [])).join("");
      // On a mismatch, say what did fail and what the hosts printed.
      expect(failed, `${JSON.stringify(failed)}\n${output.slice(-4000)}`).toMatchObject({ step: "prepare[sdg1].unmount[sdg1]" });
      expect(output).toContain("is busy; it is held by:");
      expect(output).toContain("sleep");
      // Past the point of no return Flux stays suspended, and the run says how to go on.
      expect(steps(lab.events, "succeeded")).toContain("flux-stays-suspended");
      expect(steps(lab.events, "running")).not.toContain("resume.resume[flux-system]");
      expect(lab.get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "flux-system", "flux-system")?.spec).toMatchObject({
        suspend: true,
      });
      expect(execFileSync("findmnt", ["-rn", "-o", "TARGET", "--mountpoint", busy.mount], { encoding: "utf8" }).trim()).toBe(busy.mount);
    } finally {
      holder.kill("SIGKILL");
    }
    // The holder is gone: resume continues where the run stopped and finishes, Flux resumed.
    const state = replay(lab.events);
    lab.events.length = 0;
    const resumed = await lab.run({ resume: state });
    const failedOnResume = lab.events.filter((e) => e.type === "step" && e.state === "failed");
    const outputOnResume = lab.events.flatMap((e) => (e.type === "output" ? [e.text] : [])).join("");
    expect(resumed.exitCode, `${JSON.stringify(failedOnResume)}\n${outputOnResume.slice(-3000)}`).toBe(0);
    expect(lab.get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "flux-system", "flux-system")?.spec).toMatchObject({
      suspend: false,
    });
    expect(blkidUuid(busy.part)).not.toBe(busy.oldFsUuid);
  }, 600_000);
});
