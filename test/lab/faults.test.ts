import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readState } from "../../src/lab/state/state-file.js";
import { runCliAsync, runProgram } from "../helpers/cli.js";
import { leftovers, startTestLab, type TestLab } from "../helpers/lab.js";

let tmp: string;
let lab: TestLab;
const fault = (...args: string[]) => runCliAsync(["lab", "fault", ...args, "--dir", lab.dir]);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "recover-lab-faults-"));
  lab = await startTestLab(path.join(tmp, "lab"), ["--nodes", "1", "--disks", "2", "--fault", "iscsid-inactive=k3s1"]);
}, 120_000);

afterAll(async () => {
  if (lab) await runCliAsync(["lab", "down", "--dir", lab.dir]);
  await rm(tmp, { recursive: true, force: true });
}, 60_000);

describe("lab faults", () => {
  it("--fault on up: iscsid answers inactive until the fault is cleared", async () => {
    expect(lab.up.stderr).toContain("recover lab: fault 1: iscsid-inactive k3s1");
    const inactive = await lab.ssh("k3s1", "sudo -n systemctl is-active iscsid");
    expect([inactive.code, inactive.stdout]).toEqual([3, "inactive\n"]);
    expect((await fault("clear", "1")).stdout).toBe("undid iscsid-inactive k3s1\n");
    expect((await lab.ssh("k3s1", "systemctl is-active iscsid")).stdout).toBe("active\n");
  });

  it("sshd-down refuses connections; cleared, the node answers again with its sshd's new pid recorded", async () => {
    const before = (await readState(lab.dir))?.resources.find((r) => r.id === "sshd:k3s1");
    expect((await fault("sshd-down", "k3s1")).code).toBe(0);
    const refused = await lab.ssh("k3s1", "true");
    expect([refused.code, refused.stderr]).toEqual([255, expect.stringContaining("Connection refused")]);
    expect((await runCliAsync(["lab", "status", "--dir", lab.dir])).stdout).toMatch(/^node k3s1 .* sshd down/m);
    await fault("clear");
    expect((await lab.ssh("k3s1", "hostname")).stdout).toBe("k3s1\n");
    const after = (await readState(lab.dir))?.resources.find((r) => r.id === "sshd:k3s1");
    expect(after && "process" in after && after.process?.pid).not.toBe(before && "process" in before && before.process?.pid);
  });

  it("sshd-frozen: the host stops answering", async () => {
    await fault("sshd-frozen", "k3s1");
    const frozen = await runProgram(
      "ssh",
      ["-F", lab.state.facts.sshConfig as string, "-o", "ConnectTimeout=2", "-o", "BatchMode=yes", "k3s1", "true"],
      { timeout: 20_000 },
    );
    expect(frozen.code).toBe(255);
    expect(frozen.stderr).toMatch(/timed out/i);
    await fault("clear");
    expect((await lab.ssh("k3s1", "true")).code).toBe(0);
  });

  it("disk-busy: umount says the target is busy until cleared", async () => {
    await fault("disk-busy", "k3s1/sdf1");
    const busy = await lab.ssh("k3s1", "sudo -n umount /mnt/longhorn/sdf1");
    expect([busy.code, busy.stderr]).toEqual([32, expect.stringContaining("target is busy")]);
    await fault("clear");
    const freed = await lab.ssh(
      "k3s1",
      "sudo -n umount /mnt/longhorn/sdf1 && sudo -n mount /mnt/longhorn/sdf1 && findmnt -rn -o TARGET /mnt/longhorn/sdf1",
    );
    expect(freed.stdout).toBe("/mnt/longhorn/sdf1\n");
  });

  it("disk-cfg-empty and disk-cfg-braces rewrite longhorn-disk.cfg", async () => {
    await fault("disk-cfg-empty", "k3s1/sdf1");
    await fault("disk-cfg-braces", "k3s1/sdg1");
    const cfg = await lab.ssh("k3s1", "wc -c < /mnt/longhorn/sdf1/longhorn-disk.cfg; cat /mnt/longhorn/sdg1/longhorn-disk.cfg");
    expect(cfg.stdout).toBe("0\n{}");
    expect((await fault("list")).stdout).toMatch(
      /^\d+ {2}disk-cfg-empty k3s1\/sdf1 {2}\(stays\)\n\d+ {2}disk-cfg-braces k3s1\/sdg1 {2}\(stays\)\n$/,
    );
    expect((await fault("clear")).stdout).toBe("forgot disk-cfg-braces k3s1/sdg1\nforgot disk-cfg-empty k3s1/sdf1\n");
  });

  it("push-rejected: the remote refuses pushes until cleared", async () => {
    await fault("push-rejected");
    await lab.git(["commit", "--allow-empty", "-qm", "checkpoint"]);
    const push = await lab.git(["push", "-q", "origin", "main"]);
    expect(push.code).toBe(1);
    expect(push.stderr).toContain("recover lab: the remote rejects every push");
    await fault("clear");
    expect((await lab.git(["push", "-q", "origin", "main"])).code).toBe(0);
  });

  it("api-error answers 500 on the path until cleared", async () => {
    await fault("api-error", "/apis/longhorn.io/v1beta2/namespaces/longhorn-system/nodes/k3s1");
    const failed = await lab.kubectl(["-n", "longhorn-system", "get", "nodes.longhorn.io", "k3s1"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("recover lab fault api-error");
    await fault("clear");
    expect((await lab.kubectl(["-n", "longhorn-system", "get", "nodes.longhorn.io", "k3s1"])).code).toBe(0);
  });

  it("disks-syncing refuses the next 3 patches of the Longhorn Node CR as the webhook does, reads pass", async () => {
    await fault("disks-syncing", "k3s1");
    const patch = () =>
      lab.kubectl(["-n", "longhorn-system", "patch", "nodes.longhorn.io", "k3s1", "--type=merge", '-p={"spec":{"tags":[]}}']);
    expect((await lab.kubectl(["-n", "longhorn-system", "get", "nodes.longhorn.io", "k3s1"])).code).toBe(0);
    for (let i = 0; i < 3; i++) {
      const refused = await patch();
      expect([refused.code, refused.stderr]).toEqual([
        1,
        expect.stringContaining("spec and status of disks on node k3s1 are being syncing"),
      ]);
    }
    expect((await patch()).code).toBe(0);
    await fault("clear");
  });

  it("parent-unsuspends commits suspend: false for the child to the remote", async () => {
    await fault("parent-unsuspends", "monitoring");
    await lab.git(["pull", "-q", "origin", "main"]);
    expect((await lab.git(["log", "-1", "--format=%s"])).stdout).toContain("monitoring: declare suspend: false");
    expect((await lab.git(["show", "HEAD:clusters/k3s-flux/monitoring.yaml"])).stdout).toContain("suspend: false");
  });

  it("refuses a fault it does not know, naming those it does", async () => {
    const unknown = await fault("meteor", "k3s1");
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining("faults: sshd-down NODE, sshd-frozen NODE")]);
  });

  it("down leaves nothing behind, the busy disk's holder included", async () => {
    await fault("disk-busy", "k3s1/sdg1");
    const state = await readState(lab.dir);
    expect((await runCliAsync(["lab", "down", "--dir", lab.dir])).code).toBe(0);
    expect(await leftovers(state as NonNullable<typeof state>)).toEqual([]);
  });
});
