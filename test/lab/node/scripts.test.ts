import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderGuardScript } from "../../../src/lab/node/guard-script.js";
import { renderServices, renderSystemctlScript } from "../../../src/lab/node/systemctl-script.js";
import { runProgram } from "../../helpers/cli.js";

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "recover-node-scripts-"));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** Writes a script under `name` and runs it with `args` (real sh). */
async function runScript(name: string, text: string, args: string[]) {
  const file = path.join(tmp, name);
  await writeFile(file, text);
  await chmod(file, 0o755);
  return runProgram(file, args, { env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } });
}

describe("the node's disk-command guard (run on the host here: only refusals, which never reach the real command)", () => {
  const log = () => path.join(tmp, "guard.log");

  it.each([
    ["wipefs", ["-a", "/dev/vda"], "/dev/vda (/dev/vda) is not one of this node's lab disks"],
    ["sgdisk", ["--zap-all", "/dev/loop99"], "/dev/loop99 (/dev/loop99) is not one of this node's lab disks"],
    ["mkfs.ext4", ["-q", "/dev/loop7p1"], "/dev/loop7p1 (/dev/loop7p1) is not one of this node's lab disks"],
    ["dd", ["if=/dev/zero", "of=/dev/sda"], "/dev/sda (/dev/sda) is not one of this node's lab disks"],
    ["parted", ["--script", "mklabel", "gpt"], "it names no device of this node"],
    ["partprobe", [], "it names no device of this node"],
  ])("%s %s is refused", async (command, args, why) => {
    const run = await runScript(command, renderGuardScript("k3s1", ["/dev/loop3", "/dev/loop4"], log()), args);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`recover lab: refusing ${command} on node k3s1: ${why} (this node's lab disks: /dev/loop3 /dev/loop4)\n`);
    expect(await readFile(log(), "utf8")).toContain(`refused ${command} ${args.join(" ")}: ${why}`);
  });

  it("resolves symlinks before it decides", async () => {
    const link = path.join(tmp, "disk-link");
    await rm(link, { force: true });
    await runProgram("ln", ["-s", "/dev/loop3p1", link], {});
    const allowedName = await runScript("wipefs", renderGuardScript("k3s2", ["/dev/loop5"], log()), [link]);
    expect(allowedName.stderr).toContain(`${link} (/dev/loop3p1) is not one of this node's lab disks`);
  });

  it("lets --version through to the real command", async () => {
    const run = await runScript("wipefs", renderGuardScript("k3s1", ["/dev/loop3"], log()), ["--version"]);
    expect([run.code, run.stdout]).toEqual([0, expect.stringMatching(/^wipefs from util-linux/)]);
  });
});

describe("the node's simulated systemctl", () => {
  it("answers is-active from the services file and changes it as systemd would", async () => {
    const services = path.join(tmp, "services");
    await writeFile(services, renderServices({ iscsid: "active", k3s: "active" }));
    const systemctl = (args: string[]) => runScript("systemctl", renderSystemctlScript("k3s1", services), args);
    expect(await systemctl(["is-active", "iscsid"])).toMatchObject({ code: 0, stdout: "active\n" });
    expect(await systemctl(["is-active", "--quiet", "iscsid.service"])).toMatchObject({ code: 0, stdout: "" });
    expect(await systemctl(["is-active", "multipathd"])).toMatchObject({ code: 3, stdout: "inactive\n" });
    await systemctl(["stop", "iscsid"]);
    expect(await systemctl(["is-active", "iscsid", "k3s"])).toMatchObject({ code: 3, stdout: "inactive\nactive\n" });
    await systemctl(["enable", "--now", "iscsid"]);
    expect(await systemctl(["status", "iscsid"])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("simulated by recover lab on k3s1"),
    });
    expect(await systemctl(["isolate", "rescue.target"])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("not simulated by recover lab"),
    });
  });
});
