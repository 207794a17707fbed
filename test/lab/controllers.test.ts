import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { startTestLab, type TestLab } from "../helpers/lab.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON from kubectl, navigated freely in assertions
type Json = any;

let tmp: string;
let lab: TestLab;
const LH = ["-n", "longhorn-system"];
const FLUX = ["-n", "flux-system"];

/** kubectl get -o json, parsed (undefined when it fails, e.g. NotFound). */
async function get(args: string[]): Promise<Json> {
  const run = await lab.kubectl([...args, "-o", "json"]);
  return run.code === 0 ? JSON.parse(run.stdout) : undefined;
}
const condition = (o: Json, type: string): Json => o?.status?.conditions?.find((c: Json) => c.type === type);
const diskReady = async (node: string, disk: string): Promise<Json> =>
  condition({ status: (await get([...LH, "get", "nodes.longhorn.io", node]))?.status?.diskStatus?.[disk] }, "Ready");
/** Polls until `check` holds (the controllers act at --speed 20: a real 30 s period is 1.5 s). */
const until = (check: () => Promise<boolean>) => eventually(check, 150, 200);
const fault = (...args: string[]) => runCliAsync(["lab", "fault", ...args, "--dir", lab.dir]);
const KS = "kustomizations.kustomize.toolkit.fluxcd.io";
/** `kubectl patch` of a Kustomization's suspend, as longhorn-node's suspend and resume steps do. */
const suspend = (name: string, value: boolean) =>
  lab.kubectl([...FLUX, "patch", KS, name, "--type=merge", `-p={"spec":{"suspend":${value}}}`]);
/** `flux reconcile`'s request: the annotation, on a Kustomization or the GitRepository. */
const requestReconcile = (resource: string, name: string, value: string) =>
  lab.kubectl([...FLUX, "annotate", resource, name, "--overwrite", `reconcile.fluxcd.io/requestedAt=${value}`]);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "recover-lab-controllers-"));
  lab = await startTestLab(path.join(tmp, "lab"), ["--speed", "20"]);
}, 120_000);

afterAll(async () => {
  if (lab) await runCliAsync(["lab", "down", "--dir", lab.dir]);
  await rm(tmp, { recursive: true, force: true });
}, 60_000);

describe("the Longhorn admission webhook of the lab's version", () => {
  it("refuses eviction while scheduling is allowed, with Longhorn's words", async () => {
    const run = await lab.kubectl([...LH, "patch", "nodes.longhorn.io", "k3s1", "--type=merge", '-p={"spec":{"evictionRequested":true}}']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "need to disable scheduling on node k3s1 for node eviction, or cancel eviction to enable scheduling on this node",
    );
  });
});

describe("the node lifecycle and the manager DaemonSet", () => {
  it("turns a node whose sshd is down Ready=Unknown, and Ready again when it is back", async () => {
    await fault("sshd-down", "k3s2");
    expect(await until(async () => condition(await get(["get", "node", "k3s2"]), "Ready")?.reason === "NodeStatusUnknown")).toBe(true);
    await fault("clear");
    expect(await until(async () => condition(await get(["get", "node", "k3s2"]), "Ready")?.status === "True")).toBe(true);
  });

  it("removes the manager pod of a node without storage=longhorn: ManagerPodMissing; the label back, it runs again", async () => {
    const managerOn = async (node: string) =>
      (await get([...LH, "get", "pods", "-l", "app=longhorn-manager", "--field-selector", `spec.nodeName=${node}`]))?.items ?? [];
    expect(await lab.kubectl(["label", "node", "k3s2", "storage-"])).toMatchObject({ code: 0 });
    expect(await until(async () => (await managerOn("k3s2")).length === 0)).toBe(true);
    expect(
      await until(async () => condition(await get([...LH, "get", "nodes.longhorn.io", "k3s2"]), "Ready")?.reason === "ManagerPodMissing"),
    ).toBe(true);
    await lab.kubectl(["label", "node", "k3s2", "storage=longhorn"]);
    expect(await until(async () => (await managerOn("k3s2"))[0]?.status?.phase === "Running")).toBe(true);
    expect(await until(async () => condition(await get([...LH, "get", "nodes.longhorn.io", "k3s2"]), "Ready")?.status === "True")).toBe(
      true,
    );
  });
});

// On sdh1, which holds no replica: a replica on a disk that is not Ready is not evicted but rebuilt elsewhere (not simulated).
describe("disk status follows the node's real disk", () => {
  it("{} in longhorn-disk.cfg: DiskFilesystemChanged, as an old UUID is recorded", async () => {
    await fault("disk-cfg-braces", "k3s1/sdh1");
    expect(await until(async () => (await diskReady("k3s1", "sdh1"))?.reason === "DiskFilesystemChanged")).toBe(true);
    expect((await diskReady("k3s1", "sdh1")).message).toBe(
      "Disk sdh1(/mnt/longhorn/sdh1) on node k3s1 is not ready: cannot find disk config file, maybe due to a mount error",
    );
  });

  it("an empty longhorn-disk.cfg: NoDiskInfo, unexpected end of JSON input", async () => {
    await fault("disk-cfg-empty", "k3s1/sdh1");
    expect(await until(async () => (await diskReady("k3s1", "sdh1"))?.reason === "NoDiskInfo")).toBe(true);
    expect((await diskReady("k3s1", "sdh1")).message).toMatch(
      /failed to unmarshal host \/mnt\/longhorn\/sdh1\/longhorn-disk\.cfg content: : unexpected end of JSON input$/,
    );
  });

  it("no longhorn-disk.cfg: Longhorn writes one with a fresh UUID, which no longer matches the recorded one", async () => {
    const recorded = (await get([...LH, "get", "nodes.longhorn.io", "k3s1"])).status.diskStatus.sdh1.diskUUID;
    await lab.ssh("k3s1", "sudo -n rm /mnt/longhorn/sdh1/longhorn-disk.cfg");
    expect(await until(async () => (await lab.ssh("k3s1", "cat /mnt/longhorn/sdh1/longhorn-disk.cfg")).code === 0)).toBe(true);
    const written = JSON.parse((await lab.ssh("k3s1", "cat /mnt/longhorn/sdh1/longhorn-disk.cfg")).stdout);
    expect(written.diskUUID).not.toBe(recorded);
    expect(
      await until(async () => (await diskReady("k3s1", "sdh1"))?.message?.includes("record diskUUID doesn't match the one on the disk")),
    ).toBe(true);
  });
});

describe("Flux", () => {
  it("reconciles on request: Ready for the generation, lastHandledReconcileAt set", async () => {
    await requestReconcile(KS, "infrastructure-storage", "lab-test-1");
    expect(
      await until(async () => {
        const ks = await get([...FLUX, "get", KS, "infrastructure-storage"]);
        return (
          ks?.status?.lastHandledReconcileAt === "lab-test-1" &&
          condition(ks, "Ready")?.status === "True" &&
          ks.status.observedGeneration === ks.metadata.generation
        );
      }),
    ).toBe(true);
  });

  it("a parent re-applies its child's suspend: false from Git over a manual suspend", async () => {
    await fault("parent-unsuspends", "monitoring");
    await suspend("monitoring", true);
    await requestReconcile("gitrepositories.source.toolkit.fluxcd.io", "flux-system", "lab-test-2");
    await requestReconcile(KS, "flux-system", "lab-test-2");
    expect(await until(async () => (await get([...FLUX, "get", KS, "monitoring"]))?.spec?.suspend === false)).toBe(true);
  });
});

describe("eviction and removing a node", () => {
  it("moves every replica off k3s1 once scheduling is off and eviction requested (Flux suspended, or it puts Git's spec back)", async () => {
    await suspend("infrastructure-storage", true);
    for (const patch of ['{"spec":{"allowScheduling":false}}', '{"spec":{"evictionRequested":true}}'])
      expect((await lab.kubectl([...LH, "patch", "nodes.longhorn.io", "k3s1", "--type=merge", `-p=${patch}`])).code).toBe(0);
    expect(
      await until(async () => (await get([...LH, "get", "replicas.longhorn.io", "-l", "longhornnode=k3s1"]))?.items.length === 0),
    ).toBe(true);
    const moved = (await get([...LH, "get", "replicas.longhorn.io"])).items as Json[];
    expect(new Set(moved.map((r) => r.spec.nodeID))).toEqual(new Set(["k3s2"]));
    for (const r of moved) expect((await lab.ssh("k3s2", `test -d ${r.spec.diskPath}/replicas/${r.spec.dataDirectoryName}`)).code).toBe(0);
  });

  it("deletes the Node CR at once (1.9), and a restarted manager recreates it with default disks from the annotation", async () => {
    await suspend("infrastructure-storage", true);
    expect((await lab.kubectl([...LH, "delete", "nodes.longhorn.io", "k3s1", "--wait=false"])).code).toBe(0);
    expect(await until(async () => (await get([...LH, "get", "nodes.longhorn.io", "k3s1"])) === undefined)).toBe(true);
    await fault("manager-restart", "k3s1");
    expect(await until(async () => (await get([...LH, "get", "nodes.longhorn.io", "k3s1"])) !== undefined)).toBe(true);
    const cr = await get([...LH, "get", "nodes.longhorn.io", "k3s1"]);
    expect(Object.keys(cr.spec.disks).sort()).toEqual(["sdf1", "sdg1", "sdh1"]);
    expect(cr.spec.disks.sdf1.storageReserved).toBeGreaterThan(0);
  });
});

describe("faults on the cluster's objects", () => {
  it("volume-faulted makes a volume faulted (longhorn-node's preflight refuses to evict then)", async () => {
    const [volume] = (await get([...LH, "get", "volumes.longhorn.io"])).items as Json[];
    expect((await fault("volume-faulted", volume.metadata.name)).code).toBe(0);
    expect((await get([...LH, "get", "volumes.longhorn.io", volume.metadata.name])).status.robustness).toBe("faulted");
  });

  it("finalizer-returns puts the finalizer back and holds the Node CR's deletion until cleared", async () => {
    await fault("finalizer-returns", "k3s2");
    await lab.kubectl([...LH, "patch", "nodes.longhorn.io", "k3s2", "--type=merge", '-p={"metadata":{"finalizers":null}}']);
    expect(
      await until(async () => (await get([...LH, "get", "nodes.longhorn.io", "k3s2"]))?.metadata.finalizers?.includes("longhorn.io")),
    ).toBe(true);
    await lab.kubectl([...LH, "delete", "nodes.longhorn.io", "k3s2", "--wait=false"]);
    expect((await get([...LH, "get", "nodes.longhorn.io", "k3s2"]))?.metadata.deletionTimestamp).toBeDefined();
    await fault("clear");
    expect(await until(async () => (await get([...LH, "get", "nodes.longhorn.io", "k3s2"])) === undefined)).toBe(true);
  });
});
