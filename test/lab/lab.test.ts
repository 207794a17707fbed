import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCliAsync } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { leftovers, startTestLab, type TestLab } from "../helpers/lab.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON from kubectl, navigated freely in assertions
type Json = any;

let tmp: string;
/** A filesystem of the host's (a loop device this test made), mounted before the labs start. */
let hostDisk: { loop: string; mount: string } | undefined;
let lab: TestLab;
/** A second lab at the same time, in another directory: nothing of the two may collide. */
let other: TestLab;

/** A read-only runbook reaching a node over ssh and the cluster with kubectl, as the shipped ones do. */
const SMOKE_RUNBOOK = `apiVersion: recover/v1
kind: Runbook
metadata:
  name: lab-smoke
summary: Read a lab node's hostname and its Longhorn node
params:
  node:
    type: string
    positional: true
    in: inventory.nodes
targets:
  node:
    ssh:
      host: \${{ inventory.nodes[params.node].ssh.host }}
      become: sudo
  cluster:
    kubectl:
      context: \${{ inventory.cluster.context }}
stages:
  - id: look
    title: Look at the node
    checkpoint: false
    steps:
      - id: hostname
        title: The node's hostname
        on: node
        sh: hostname
      - id: longhorn-node
        title: Its Longhorn node
        on: cluster
        kubectl: [-n, longhorn-system, get, nodes.longhorn.io, "\${{ params.node }}", -o, name]
`;

const disksOf = (l: TestLab, node: string) => l.state.facts.nodes?.find((n) => n.name === node)?.disks ?? [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "recover-lab-test-"));
  const image = path.join(tmp, "host-disk.img");
  execFileSync("truncate", ["-s", "16M", image]);
  const loop = execFileSync("losetup", ["--find", "--show", image], { encoding: "utf8" }).trim();
  hostDisk = { loop, mount: path.join(tmp, "host-mnt") };
  execFileSync("mkfs.ext4", ["-q", "-F", loop]);
  await mkdir(hostDisk.mount);
  execFileSync("mount", [loop, hostDisk.mount]);
  [lab, other] = await Promise.all([
    startTestLab(path.join(tmp, "lab")),
    startTestLab(path.join(tmp, "other"), ["--nodes", "1", "--disks", "1"]),
  ]);
}, 120_000);

afterAll(async () => {
  // A test that failed before `down` ran must not leave a lab behind.
  for (const l of [lab, other]) if (l) await runCliAsync(["lab", "down", "--dir", l.dir]);
  if (hostDisk) {
    for (const argv of [
      ["umount", hostDisk.mount],
      ["losetup", "-d", hostDisk.loop],
    ]) {
      try {
        execFileSync(argv[0] as string, argv.slice(1), { stdio: "ignore" });
      } catch {
        // Already unmounted by the test, or never mounted.
      }
    }
  }
  await rm(tmp, { recursive: true, force: true });
}, 60_000);

describe("recover lab up", () => {
  it("prints what it built and how to use it", () => {
    expect(lab.up.stdout).toMatch(/^lab .*\/lab \(id [0-9a-f]{8}\): up$/m);
    expect(lab.up.stdout).toMatch(/^node k3s1 {2}127\.0\.0\.\d+:\d+ {2}sshd running \(pid \d+\)$/m);
    expect(lab.up.stdout).toContain("services (simulated systemctl): iscsid active");
    expect(lab.up.stdout).toContain(`recover check --lab ${lab.dir}`);
    expect(lab.up.stderr).toMatch(/recover lab: up in \d+\.\d s/);
  });

  it("gives each lab its own addresses, ports and loop devices", () => {
    const addresses = (l: TestLab) => (l.state.facts.nodes ?? []).map((n) => `${n.address}:${n.sshPort}`);
    const loops = (l: TestLab) => (l.state.facts.nodes ?? []).flatMap((n) => n.disks.map((d) => d.loop));
    expect(addresses(lab)).toHaveLength(2);
    expect(addresses(other)).toHaveLength(1);
    const ips = [...addresses(lab), ...addresses(other)].map((a) => a.split(":")[0]);
    expect(new Set(ips).size).toBe(3);
    expect(loops(lab)).toHaveLength(6);
    expect(new Set([...loops(lab), ...loops(other)]).size).toBe(7);
    expect(lab.state.facts.apiUrl).not.toBe(other.state.facts.apiUrl);
  });
});

describe("a lab node, over ssh", () => {
  it("is a real sshd logged into as recover-lab with passwordless sudo, in its own namespaces", async () => {
    const run = await lab.ssh("k3s1", "hostname; id -un; sudo -n id -u; readlink /proc/self/ns/mnt");
    expect(run.stderr).toBe("");
    const [hostname, user, rootId, mntNs] = run.stdout.trim().split("\n");
    expect([hostname, user, rootId]).toEqual(["k3s1", "recover-lab", "0"]);
    expect(mntNs).not.toBe(await readlink("/proc/self/ns/mnt"));
    expect(mntNs).toBe(lab.state.resources.find((r) => r.kind === "namespace" && r.node === "k3s1" && "mntNs" in r)?.mntNs);
  });

  it("has its disks as loop devices with by-id names, mounted from its own fstab by UUID", async () => {
    const disks = disksOf(lab, "k3s1");
    expect(disks.map((d) => d.name)).toEqual(["sdf1", "sdg1", "sdh1"]);
    for (const disk of disks) {
      const run = await lab.ssh(
        "k3s1",
        `readlink -f ${disk.byId}; lsblk -dn -b -o SERIAL,SIZE ${disk.byId}; findmnt -rn -o SOURCE ${disk.mount}; sudo -n blkid -s UUID -o value ${disk.byId}-part1; grep ${disk.mount} /etc/fstab`,
      );
      const [device, serialSize, source, uuid, fstab] = run.stdout.trim().split("\n");
      expect(device).toBe(disk.loop);
      expect(serialSize?.trim()).toBe(String(disk.sizeBytes));
      expect(source).toBe(`${disk.loop}p1`);
      expect(fstab).toBe(`UUID=${uuid} ${disk.mount} ext4 defaults,nofail 0 2`);
    }
    expect(new Set(disks.map((d) => d.sizeBytes)).size).toBe(3);
  });

  it("does not keep the host's filesystems busy: unmounted on the host, a disk can be opened exclusively (wiped)", () => {
    if (!hostDisk) throw new Error("no host disk");
    execFileSync("umount", [hostDisk.mount]);
    // EBUSY here if a node's namespace still held its copy of the mount.
    closeSync(openSync(hostDisk.loop, constants.O_RDONLY | constants.O_EXCL));
  });

  it("keeps its mounts, fstab and /var/lib/longhorn to itself", async () => {
    const run = await lab.ssh("k3s1", "ls -d /var/lib/longhorn && sudo -n touch /var/lib/longhorn/mark /etc/fstab.lab-test && echo ok");
    expect(run.stdout).toContain("ok");
    await expect(stat("/var/lib/longhorn/mark")).rejects.toThrow();
    await expect(stat("/etc/fstab.lab-test")).rejects.toThrow();
    expect(await readFile("/proc/self/mountinfo", "utf8")).not.toContain("/mnt/longhorn");
    const k3s2 = await lab.ssh("k3s2", "ls /var/lib/longhorn; cat /etc/hostname");
    expect(k3s2.stdout.trim()).toBe("k3s2");
  });

  it("answers systemctl from the lab's state, and says it is simulated", async () => {
    const active = await lab.ssh("k3s1", "sudo -n systemctl is-active iscsid");
    expect([active.code, active.stdout.trim()]).toEqual([0, "active"]);
    const stopped = await lab.ssh("k3s1", "sudo -n systemctl stop iscsid; sudo -n systemctl is-active iscsid");
    expect([stopped.code, stopped.stdout.trim()]).toEqual([3, "inactive"]);
    const status = await lab.ssh("k3s1", "sudo -n systemctl enable --now iscsid; systemctl status iscsid");
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("simulated by recover lab");
    expect(status.stdout).toContain("Active: active");
  });

  it("refuses destructive disk commands on anything but its own lab disks, symlinks resolved", async () => {
    const root = (await readFile("/proc/self/mountinfo", "utf8"))
      .split("\n")
      .find((l) => l.split(" ")[4] === "/")
      ?.split(" - ")[1]
      ?.split(" ")[1];
    const otherLoop = disksOf(other, "k3s1")[0]?.loop as string;
    const link = `/tmp/lab-guard-test-${process.pid}`;
    const cases = [
      `wipefs -a ${root}`,
      `sgdisk --zap-all ${otherLoop}`,
      `mkfs.ext4 -q ${link}`,
      `parted --script ${disksOf(lab, "k3s2")[0]?.loop} mklabel gpt`,
      `dd if=/dev/zero of=${root} count=1`,
      "partprobe",
    ];
    // One session: each command's exit code and first line of stderr, in order.
    const script = cases.map((c) => `out=$(sudo -n ${c} 2>&1 >/dev/null); echo "$?:$(echo "$out" | head -1)"`).join("; ");
    const run = await lab.ssh("k3s1", `sudo -n ln -sf ${root} ${link}; ${script}; sudo -n rm -f ${link}`);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(cases.length);
    for (const [i, command] of cases.entries()) expect(lines[i], command).toMatch(/^1:recover lab: refusing /);
    const log = await lab.ssh("k3s1", "sudo -n cat /var/lib/recover-lab/guard.log");
    expect(log.stdout.match(/ refused /g)).toHaveLength(cases.length);
  });

  it("runs the runbook's wipe, partition, format and fstab steps on its own disk, with udev's -part1 link following", async () => {
    const disk = disksOf(lab, "k3s1")[2] as { byId: string; mount: string; loop: string };
    const part = `${disk.byId}-part1`;
    const wipe = await lab.ssh(
      "k3s1",
      `sudo -n umount ${disk.mount} && sudo -n wipefs -a ${part} && sudo -n sh -c 'wipefs -a ${disk.byId}; sgdisk --zap-all ${disk.byId}; partprobe ${disk.byId}'`,
    );
    expect(wipe.code, wipe.stderr).toBe(0);
    expect(await eventually(async () => (await lab.ssh("k3s1", `test -e ${part}`)).code === 1, 40, 100)).toBe(true);
    const partition = await lab.ssh(
      "k3s1",
      `sudo -n sh -c 'parted --script ${disk.byId} mklabel gpt && parted --script -a optimal ${disk.byId} mkpart primary ext4 0% 100% && partprobe ${disk.byId} && udevadm settle' && test -b ${part} && sudo -n mkfs.ext4 -q ${part}`,
    );
    expect(partition.code, partition.stderr).toBe(0);
    // The runbook's fstab step, as it is written in runbooks/longhorn-node.yaml.
    const fstab = await lab.ssh(
      "k3s1",
      `sudo -n sh -c 'uuid=$(blkid -s UUID -o value ${part}); test -n "$uuid"; { grep -v "[[:space:]]"${disk.mount}"[[:space:]]" /etc/fstab || true; } > /etc/fstab.recover; echo "UUID=$uuid "${disk.mount}" ext4 defaults,nofail 0 2" >> /etc/fstab.recover; mv /etc/fstab.recover /etc/fstab; mount ${disk.mount}' && findmnt -rn -o SOURCE ${disk.mount}`,
    );
    expect([fstab.code, fstab.stdout.trim()]).toEqual([0, `${disk.loop}p1`]);
    const log = await lab.ssh("k3s1", "sudo -n cat /var/lib/recover-lab/guard.log");
    expect(log.stdout).toMatch(/allowed sgdisk --zap-all \/dev\/disk\/by-id\/ata-RECOVER_LAB_DISK_k3s1-sdh/);
  });
});

describe("the lab's cluster, through kubectl", () => {
  it("has Ready nodes with Longhorn's pods on each", async () => {
    const nodes = JSON.parse((await lab.kubectl(["get", "nodes", "-o", "json"])).stdout) as Json;
    expect(nodes.items.map((n: Json) => [n.metadata.name, n.status.conditions.find((c: Json) => c.type === "Ready").status])).toEqual([
      ["k3s1", "True"],
      ["k3s2", "True"],
    ]);
    expect(nodes.items[0].metadata.labels).toMatchObject({ storage: "longhorn", "node.longhorn.io/create-default-disk": "config" });
    const pods = JSON.parse((await lab.kubectl(["-n", "longhorn-system", "get", "pods", "-o", "json"])).stdout) as Json;
    for (const node of ["k3s1", "k3s2"]) {
      const on = pods.items.filter((p: Json) => p.spec.nodeName === node).map((p: Json) => p.metadata.name.replace(/-[a-z0-9]+$/, ""));
      expect(on.sort()).toEqual(["instance-manager", "longhorn-manager"]);
    }
  });

  it("has Longhorn Nodes whose disk UUIDs are the ones in each disk's longhorn-disk.cfg", async () => {
    const node = JSON.parse(
      (await lab.kubectl(["-n", "longhorn-system", "get", "nodes.longhorn.io", "k3s2", "-o", "json"])).stdout,
    ) as Json;
    expect(node.status.conditions.find((c: Json) => c.type === "Ready").status).toBe("True");
    for (const disk of disksOf(lab, "k3s2")) {
      const cfg = JSON.parse((await lab.ssh("k3s2", `cat ${disk.mount}/longhorn-disk.cfg`)).stdout) as Json;
      expect(cfg.diskName).toBe(disk.name);
      expect(node.status.diskStatus[disk.name]).toMatchObject({ diskUUID: cfg.diskUUID, diskPath: disk.mount });
      expect(node.status.diskStatus[disk.name].storageMaximum).toBeGreaterThan(disk.sizeBytes * 0.8);
    }
  });

  it("has volumes with replicas spread over the nodes, on the disks whose UUIDs they name", async () => {
    const replicas = JSON.parse((await lab.kubectl(["-n", "longhorn-system", "get", "replicas.longhorn.io", "-o", "json"])).stdout) as Json;
    expect(new Set(replicas.items.map((r: Json) => r.spec.nodeID))).toEqual(new Set(["k3s1", "k3s2"]));
    for (const r of replicas.items) {
      expect(r.metadata.labels).toMatchObject({
        longhornnode: r.spec.nodeID,
        longhorndiskuuid: r.spec.diskID,
        longhornvolume: r.spec.volumeName,
      });
      const dir = await lab.ssh(r.spec.nodeID, `test -d ${r.spec.diskPath}/replicas/${r.spec.dataDirectoryName}`);
      expect(dir.code).toBe(0);
    }
    const volumes = JSON.parse((await lab.kubectl(["-n", "longhorn-system", "get", "volumes.longhorn.io", "-o", "json"])).stdout) as Json;
    expect(volumes.items.map((v: Json) => v.status.robustness).sort()).toEqual(["healthy", "unknown"]);
  });

  it("has the Settings runbooks read", async () => {
    const get = async (name: string) =>
      (await lab.kubectl(["-n", "longhorn-system", "get", "settings.longhorn.io", name, "-o", "jsonpath={.value}"])).stdout;
    expect(await get("current-longhorn-version")).toBe("v1.9.2");
    expect(await get("create-default-disk-labeled-nodes")).toBe("true");
  });

  it("has the Flux objects of the GitOps repository, Ready for their generation", async () => {
    const ks = JSON.parse(
      (await lab.kubectl(["-n", "flux-system", "get", "kustomizations.kustomize.toolkit.fluxcd.io", "-o", "json"])).stdout,
    ) as Json;
    expect(ks.items.map((k: Json) => k.metadata.name).sort()).toEqual([
      "flux-system",
      "infrastructure-core",
      "infrastructure-storage",
      "monitoring",
    ]);
    for (const k of ks.items) {
      const ready = k.status.conditions.find((c: Json) => c.type === "Ready");
      expect([ready.status, k.status.observedGeneration]).toEqual(["True", k.metadata.generation]);
    }
    expect(ks.items.find((k: Json) => k.metadata.name === "monitoring").spec.dependsOn).toEqual([{ name: "infrastructure-storage" }]);
    const head = (await lab.git(["rev-parse", "HEAD"])).stdout.trim();
    expect(ks.items[0].status.lastAppliedRevision).toBe(`main@sha1:${head}`);
    const hr = JSON.parse(
      (await lab.kubectl(["-n", "longhorn-system", "get", "helmreleases.helm.toolkit.fluxcd.io", "longhorn", "-o", "json"])).stdout,
    ) as Json;
    expect(hr.spec.chart.spec.version).toBe("1.9.2");
  });
});

describe("the lab's GitOps repository", () => {
  it("is a clone of a bare remote, pushed", async () => {
    const remote = (await lab.git(["remote", "get-url", "origin"])).stdout.trim();
    expect(remote).toBe(lab.state.facts.gitRemote);
    const remoteHead = (await lab.git(["ls-remote", "origin", "main"])).stdout.split("\t")[0];
    expect(remoteHead).toBe((await lab.git(["rev-parse", "HEAD"])).stdout.trim());
    expect((await lab.git(["status", "--porcelain"])).stdout).toBe("");
  });

  it("holds an inventory describing the lab that recover validates, and a Node CR per node", async () => {
    const inventoryFile = lab.state.facts.inventory as string;
    const validate = await runCliAsync(["validate", inventoryFile]);
    expect(validate.code, validate.stderr).toBe(0);
    const inventory = parse(await readFile(inventoryFile, "utf8")) as Json;
    expect(inventory.nodes.k3s1.disks.map((d: Json) => [d.device, d.size, d.mount])).toEqual(
      disksOf(lab, "k3s1").map((d) => [d.byId, d.sizeBytes, d.mount]),
    );
    expect(inventory.nodes.k3s1.disks[0].serial).toBeUndefined();
    const nodeCr = parse(
      await readFile(path.join(lab.state.facts.gitopsClone as string, "infrastructure/k3s1-node-config/k3s1-node.yaml"), "utf8"),
    ) as Json;
    expect(Object.keys(nodeCr.spec.disks)).toEqual(["sdf1", "sdg1", "sdh1"]);
  });
});

describe("--lab on run commands", () => {
  it("check passes against a fresh lab without reading the operator's ~/.ssh, ~/.kube or git config", async () => {
    const home = path.join(tmp, "operator-home");
    const poisoned = {
      ".ssh/config": "Host *\n  ThisIsNotAnOption yes\n",
      ".kube/config": "apiVersion: v1\nkind: Config\ncurrent-context: missing\n",
      ".gitconfig": "[user\n",
    };
    for (const [file, text] of Object.entries(poisoned)) {
      await mkdir(path.dirname(path.join(home, file)), { recursive: true });
      await writeFile(path.join(home, file), text);
    }
    const check = await runCliAsync(["check", "--lab", lab.dir], { env: { HOME: home, KUBECONFIG: path.join(home, ".kube/config") } });
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);
    expect(check.stdout).toContain("✓ node k3s1    ssh k3s1: logged in, sudo gives root");
    for (const [file, text] of Object.entries(poisoned)) expect(await readFile(path.join(home, file), "utf8")).toBe(text);
    expect(await readdir(path.join(home, ".kube"))).toEqual(["config"]);
  });

  it("runs a runbook against the lab, its journal kept in the lab where runs --lab finds it", async () => {
    const runbook = path.join(tmp, "lab-smoke.yaml");
    await writeFile(runbook, SMOKE_RUNBOOK);
    const run = await runCliAsync(["run", runbook, "k3s1", "--lab", lab.dir, "--yes", "-o", "plain"]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("│ hostname: k3s1");
    expect(run.stdout).toContain("│ longhorn-node: node.longhorn.io/k3s1");
    const runs = await runCliAsync(["runs", "--lab", lab.dir]);
    expect(runs.stdout).toMatch(/^\d{8}-\d{6}-[0-9a-f]+ {2}lab-smoke {2}node=k3s1 {2}done /m);
  });

  it("plan resolves the lab's nodes and devices", async () => {
    const plan = await runCliAsync(["plan", "longhorn-node", "k3s1", "--lab", lab.dir, "-o", "json"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("/dev/disk/by-id/ata-RECOVER_LAB_DISK_k3s1-sdf");
  });

  it("refuses --gitops beside --lab, and a directory without a lab", async () => {
    const both = await runCliAsync(["check", "--lab", lab.dir, "--gitops", "fixtures/gitops"]);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining("drop --gitops")]);
    const none = await runCliAsync(["check", "--lab", path.join(tmp, "nothing")]);
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining("no lab in")]);
  });
});

describe("recover lab status and down", () => {
  it("status shows processes with pids, disks with their mounts, and the cluster", async () => {
    const status = await runCliAsync(["lab", "status", "--dir", lab.dir]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^ {2}daemon +pid \d+ running$/m);
    expect(status.stdout).toMatch(
      /^ {2}disk sdf1 {2}\/dev\/loop\d+ {2}\d+ MiB {2}\/dev\/disk\/by-id\/ata-RECOVER_LAB_DISK_k3s1-sdf {2}mounted at \/mnt\/longhorn\/sdf1/m,
    );
    expect(status.stdout).toContain("Kustomization flux-system/monitoring Ready=True");
  });

  it("down leaves no loop device, mount, namespace or process behind, for both labs", async () => {
    for (const l of [lab, other]) {
      const down = await runCliAsync(["lab", "down", "--dir", l.dir]);
      expect(down.code, down.stderr).toBe(0);
      expect(down.stdout).toContain(`lab ${l.dir} removed`);
      expect(await leftovers(l.state)).toEqual([]);
    }
    const again = await runCliAsync(["lab", "down", "--dir", lab.dir]);
    expect([again.code, again.stdout]).toEqual([0, `no lab in ${lab.dir}: nothing to do\n`]);
  });
});
