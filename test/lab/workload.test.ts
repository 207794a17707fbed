// The lab's workload with a Longhorn volume: placed on a chosen node, met by drain and its PDBs.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csiAttachmentName } from "../../src/lab/objects/csi-names.js";
import { runCliAsync, runProgram } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { KUBECTL } from "../helpers/kube-api.js";
import { startTestLab, type TestLab } from "../helpers/lab.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON from kubectl, navigated freely in assertions
type Json = any;

let tmp: string;
let lab: TestLab;
const LH = ["-n", "longhorn-system"];
const MON = ["-n", "monitoring"];

async function get(args: string[]): Promise<Json> {
  const run = await lab.kubectl([...args, "-o", "json"]);
  return run.code === 0 ? JSON.parse(run.stdout) : undefined;
}
const until = (check: () => Promise<boolean>) => eventually(check, 150, 200);
/** Reads until `holds` is true of what was read (or attempts run out); the last reading. */
async function readUntil<T>(read: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  let last = await read();
  await until(async () => {
    last = await read();
    return holds(last);
  });
  return last;
}
/** `kubectl -n longhorn-system patch RESOURCE NAME --type=merge`: its exit code. */
const patchLonghorn = async (resource: string, name: string, body: object) =>
  (await lab.kubectl([...LH, "patch", resource, name, "--type=merge", `-p=${JSON.stringify(body)}`])).code;
const fault = (...args: string[]) => runCliAsync(["lab", "fault", ...args, "--dir", lab.dir]);
/** The real kubectl drain, with the lab's kubeconfig and its own cache. */
const drain = (node: string, timeout: string) =>
  runProgram(KUBECTL, ["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", `--timeout=${timeout}`], {
    timeout: 120_000,
    env: {
      PATH: process.env.PATH,
      HOME: tmp,
      KUBECONFIG: lab.state.facts.kubeconfig as string,
      KUBECACHEDIR: path.join(tmp, `drain-cache-${node}-${timeout}`),
    },
  });

/** Where the workload's volume is attached, as every object that says so reads it. */
async function attachment(): Promise<Json> {
  const pod = await get([...MON, "get", "pod", "prometheus-0"]);
  const pvc = await get([...MON, "get", "pvc", "prometheus-data"]);
  const volume = pvc.spec.volumeName as string;
  const lhv = await get([...LH, "get", "volumes.longhorn.io", volume]);
  const engines = await get([...LH, "get", "engines.longhorn.io", "-l", `longhornvolume=${volume}`]);
  const csi = await get(["get", "volumeattachments.storage.k8s.io"]);
  const lhva = await get([...LH, "get", "volumeattachments.longhorn.io", volume]);
  return {
    volume,
    pod: pod ? { node: pod.spec.nodeName, phase: pod.status?.phase, terminating: Boolean(pod.metadata.deletionTimestamp) } : undefined,
    longhorn: { state: lhv.status.state, node: lhv.status.currentNodeID, engine: engines.items[0].spec.nodeID },
    csi: csi.items
      .filter((v: Json) => v.spec.source.persistentVolumeName === volume)
      .map((v: Json) => `${v.metadata.name}@${v.spec.nodeName}`),
    tickets: Object.values(lhva.spec.attachmentTickets).map((t: Json) => `${t.id}@${t.nodeID}`),
  };
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "recover-lab-workload-"));
  lab = await startTestLab(path.join(tmp, "lab"), ["--speed", "20", "--disks", "3"]);
}, 120_000);

afterAll(async () => {
  if (lab) await runCliAsync(["lab", "down", "--dir", lab.dir]);
  await rm(tmp, { recursive: true, force: true });
}, 60_000);

describe("the lab's workload with a Longhorn volume", () => {
  it("runs on the last node at first, its volume attached there through CSI and Longhorn alike", async () => {
    const at = await attachment();
    expect(at).toMatchObject({
      pod: { node: "k3s2", phase: "Running" },
      longhorn: { state: "attached", node: "k3s2", engine: "k3s2" },
      csi: [`${csiAttachmentName(at.volume, "k3s2")}@k3s2`],
      tickets: [`${csiAttachmentName(at.volume, "k3s2")}@k3s2`],
    });
  });

  it("workload-on k3s1 moves the pod and its volume's attachment to k3s1", async () => {
    expect((await fault("workload-on", "k3s1")).code).toBe(0);
    const at = await readUntil(attachment, (a) => a.pod?.node === "k3s1" && a.csi.length === 1);
    expect(at).toMatchObject({
      pod: { node: "k3s1", phase: "Running" },
      longhorn: { state: "attached", node: "k3s1", engine: "k3s1" },
      csi: [`${csiAttachmentName(at.volume, "k3s1")}@k3s1`],
      tickets: [`${csiAttachmentName(at.volume, "k3s1")}@k3s1`],
    });
    expect((await fault("clear")).stdout).toBe("undid workload-on k3s1\n");
  });

  it("drain k3s1 is refused by the workload's PDB (429, retried) while the pod cannot go, and succeeds once it is scaled away", async () => {
    const refused = await drain("k3s1", "12s");
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain(
      `error when evicting pods/"prometheus-0" -n "monitoring" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`,
    );
    expect((await attachment()).pod).toMatchObject({ node: "k3s1", terminating: false });
    // Longhorn's instance-manager PDB on k3s1 stays while the engine runs there.
    const pdbs = async () =>
      ((await get([...LH, "get", "pdb"])).items as Json[]).map((p) => p.spec.selector.matchLabels["longhorn.io/node"]).sort();
    expect(await pdbs()).toEqual(["k3s1", "k3s2"]);

    expect((await lab.kubectl([...MON, "patch", "statefulset", "prometheus", "--type=merge", '-p={"spec":{"replicas":0}}'])).code).toBe(0);
    const drained = await drain("k3s1", "90s");
    expect([drained.code, drained.stdout]).toEqual([0, expect.stringContaining("node/k3s1 drained")]);
    // Nothing runs on either instance manager now (the only attached volume is detached): no PDB holds them.
    expect(await pdbs()).toEqual([]);
    const at = await attachment();
    expect(at).toMatchObject({ pod: undefined, longhorn: { state: "detached", node: "", engine: "" }, csi: [], tickets: [] });

    // Back to one replica: the pod starts on the node it may run on, k3s1 being cordoned.
    expect((await lab.kubectl([...MON, "patch", "statefulset", "prometheus", "--type=merge", '-p={"spec":{"replicas":1}}'])).code).toBe(0);
    const moved = await readUntil(attachment, (a) => a.pod?.node === "k3s2");
    expect(moved).toMatchObject({ longhorn: { state: "attached", node: "k3s2", engine: "k3s2" }, csi: [expect.stringContaining("@k3s2")] });
    // The instance manager k3s2 runs the engine on is guarded again; k3s1's went with the drain.
    expect(await until(async () => JSON.stringify(await pdbs()) === '["k3s2"]')).toBe(true);
    expect(drained.stdout).toMatch(/pod\/instance-manager-[0-9a-f]+ evicted/);
    expect((await lab.kubectl(["uncordon", "k3s1"])).code).toBe(0);
  }, 180_000);

  it("a disk failing under the attached volume: its replica fails, the volume is degraded until a disk can take a new one, then healthy", async () => {
    const volume = (await attachment()).volume as string;
    const replicasOf = async () =>
      ((await get([...LH, "get", "replicas.longhorn.io", "-l", `longhornvolume=${volume}`])).items as Json[]).map((r) => ({
        at: `${r.spec.nodeID}:${r.spec.diskPath}`,
        failed: Boolean(r.spec.failedAt),
        state: r.status?.currentState,
      }));
    const lhVolume = async () => (await get([...LH, "get", "volumes.longhorn.io", volume])).status;
    const before = await replicasOf();
    const onK3s2 = before.find((r) => r.at.startsWith("k3s2:"))?.at;
    expect(before.sort((a, b) => a.at.localeCompare(b.at))).toEqual([
      { at: "k3s1:/mnt/longhorn/sdf1", failed: false, state: "running" },
      { at: onK3s2, failed: false, state: "running" },
    ]);
    // Hard anti-affinity and k3s1 closed to scheduling: no disk may take the replacement.
    expect(await patchLonghorn("settings.longhorn.io", "replica-soft-anti-affinity", { value: "false" })).toBe(0);
    expect(await patchLonghorn("nodes.longhorn.io", "k3s1", { spec: { allowScheduling: false } })).toBe(0);
    expect((await fault("disk-cfg-empty", "k3s1/sdf1")).code).toBe(0);
    const status = await readUntil(
      lhVolume,
      (v) => v.robustness === "degraded" && v.conditions.some((c: Json) => c.type === "Scheduled" && c.status === "False"),
    );
    expect(status.conditions.find((c: Json) => c.type === "Scheduled")).toMatchObject({
      reason: "ReplicaSchedulingFailure",
      message: "hard affinity cannot be satisfied",
    });
    expect(await replicasOf()).toEqual(expect.arrayContaining([{ at: "k3s1:/mnt/longhorn/sdf1", failed: true, state: "stopped" }]));

    // k3s1 open again: it holds no usable replica, so one of its other disks takes the rebuild.
    expect(await patchLonghorn("nodes.longhorn.io", "k3s1", { spec: { allowScheduling: true } })).toBe(0);
    expect(await until(async () => (await lhVolume()).robustness === "healthy")).toBe(true);
    expect(await until(async () => (await replicasOf()).length === 2)).toBe(true);
    expect((await replicasOf()).sort((a, b) => a.at.localeCompare(b.at))).toEqual([
      { at: expect.stringMatching(/^k3s1:\/mnt\/longhorn\/sd[gh]1$/), failed: false, state: "running" },
      { at: onK3s2, failed: false, state: "running" },
    ]);
    expect((await lhVolume()).conditions.find((c: Json) => c.type === "Scheduled")).toMatchObject({ status: "True" });
  }, 120_000);

  it("#6790: {} on a disk registered afresh gives it an empty diskUUID, and a replica scheduled there cannot start", async () => {
    const volume = (await attachment()).volume as string;
    const injected = await fault("disk-uuid-empty", "k3s1/sdh1");
    expect(injected.stderr).toBe("");
    expect(injected.code).toBe(0);
    const k3s1 = async () => await get([...LH, "get", "nodes.longhorn.io", "k3s1"]);
    const freshKey = (n: Json): string =>
      Object.keys(n.spec.disks).find((k) => k.startsWith("sdh1-") && n.spec.disks[k].path === "/mnt/longhorn/sdh1") ?? "";
    const node = await readUntil(k3s1, (n) =>
      Boolean(n.status.diskStatus[freshKey(n)]?.conditions.some((c: Json) => c.type === "Ready" && c.status === "True")),
    );
    expect(node.status.diskStatus[freshKey(node)].diskUUID).toBe("");
    expect((await lab.ssh("k3s1", "cat /mnt/longhorn/sdh1/longhorn-disk.cfg")).stdout).toBe("{}");

    // Only that disk may take a third replica of the volume (soft anti-affinity, the others closed).
    const others = Object.keys(node.spec.disks).filter((k) => k !== freshKey(node));
    const closed = Object.fromEntries(others.map((k) => [k, { allowScheduling: false }]));
    expect(await patchLonghorn("settings.longhorn.io", "replica-soft-anti-affinity", { value: "true" })).toBe(0);
    expect(await patchLonghorn("nodes.longhorn.io", "k3s2", { spec: { allowScheduling: false } })).toBe(0);
    expect(await patchLonghorn("nodes.longhorn.io", "k3s1", { spec: { disks: closed } })).toBe(0);
    expect(await patchLonghorn("volumes.longhorn.io", volume, { spec: { numberOfReplicas: 3 } })).toBe(0);

    let stuck: Json;
    expect(
      await until(async () => {
        const items = (await get([...LH, "get", "replicas.longhorn.io", "-l", `longhornvolume=${volume}`])).items as Json[];
        stuck = items.find((r) => r.spec.diskPath === "/mnt/longhorn/sdh1");
        return stuck?.status?.currentState === "error";
      }),
    ).toBe(true);
    expect(stuck.spec).toMatchObject({ nodeID: "k3s1", diskID: "" });
    const events = await lab.kubectl([...LH, "get", "events", `--field-selector=involvedObject.name=${stuck.metadata.name}`, "-o", "json"]);
    expect(JSON.parse(events.stdout).items.map((e: Json) => [e.reason, e.message])).toContainEqual([
      "FailedStarting",
      `Error starting ${stuck.metadata.name}: missing parameters for replica instance creation: ${stuck.metadata.name}`,
    ]);
    // Stuck as on a real cluster: degraded, and Longhorn waits for the replica rather than replace it.
    expect((await get([...LH, "get", "volumes.longhorn.io", volume])).status.robustness).toBe("degraded");
    const count = ((await get([...LH, "get", "replicas.longhorn.io", "-l", `longhornvolume=${volume}`])).items as Json[]).length;
    expect(count).toBe(3);

    // longhorn-node on k3s1 ends it as on a real cluster: the stuck replica is evicted (its volume has
    // healthy copies elsewhere), the {} disk wiped and registered with a real diskUUID.
    expect(await patchLonghorn("nodes.longhorn.io", "k3s2", { spec: { allowScheduling: true } })).toBe(0);
    const reopened = Object.fromEntries(others.map((k) => [k, { allowScheduling: true }]));
    expect(await patchLonghorn("nodes.longhorn.io", "k3s1", { spec: { disks: reopened } })).toBe(0);
    const run = await runCliAsync(["longhorn-node", "k3s1", "--lab", lab.dir, "--yes", "-o", "plain"]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const replicasAfter = (await get([...LH, "get", "replicas.longhorn.io"])).items as Json[];
    expect(replicasAfter.filter((r) => r.spec.diskID === "").map((r) => r.metadata.name)).toEqual([]);
    const recovered = await k3s1();
    expect(Object.values(recovered.status.diskStatus).map((d: Json) => d.diskUUID !== "")).toEqual([true, true, true]);
    expect((await lab.ssh("k3s1", "grep -c diskUUID /mnt/longhorn/sdh1/longhorn-disk.cfg")).stdout).toBe("1\n");
  }, 600_000);
});
