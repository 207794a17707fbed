// stuck-finalizers, stuck-volume-attachment and stuck-pvc through the real CLI and kubectl against
// the emulator: only orphans are released, the evidence is printed before, and a live object is
// refused before anything changes (exit 3).
import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/lab/kube-api/index.js";
import { startCluster, type TestCluster } from "./support/cluster.js";
import { lh } from "./support/fake-longhorn.js";

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const ns = (name: string): KubeObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const node = (name: string, ready: boolean): KubeObject =>
  ({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name },
    status: { conditions: [{ type: "Ready", status: ready ? "True" : "False", reason: ready ? "KubeletReady" : "NodeStatusUnknown" }] },
  }) as KubeObject;

async function clusterWith(objects: KubeObject[]): Promise<TestCluster> {
  const c = await startCluster({ inventory: { nodes: { k3s1: { ssh: { host: "k3s1" } }, k3s2: { ssh: { host: "k3s2" } } } } });
  await c.load([ns("longhorn-system"), node("k3s1", true), node("k3s2", false), ...objects]);
  return c;
}

async function setStatus(
  c: TestCluster,
  apiVersion: string,
  kind: string,
  name: string,
  namespace: string,
  status: Record<string, unknown>,
) {
  c.kube.api.client("test").resource(apiVersion, kind).patch(name, namespace, { status }, { subresource: "status" });
}

describe("stuck-finalizers", () => {
  it("takes longhorn.io off a replica stuck deleting whose node is gone, after showing why", async () => {
    cluster = await clusterWith([
      lh("Replica", "r-gone", { spec: { nodeID: "k3s9", volumeName: "v1" } }),
      lh("Replica", "r-live", { spec: { nodeID: "k3s1", volumeName: "v1" } }),
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "longhorn-manager-a", namespace: "longhorn-system", labels: { app: "longhorn-manager" } },
        spec: { nodeName: "k3s1", containers: [{ name: "m", image: "longhornio/longhorn-manager:v1.9.2" }] },
      } as KubeObject,
    ]);
    const client = cluster.kube.api.client("test");
    for (const name of ["r-gone", "r-live"]) {
      client.resource("longhorn.io/v1beta2", "Replica").patch(name, "longhorn-system", { metadata: { finalizers: ["longhorn.io"] } });
      client.resource("longhorn.io/v1beta2", "Replica").delete(name, "longhorn-system");
    }
    await setStatus(cluster, "v1", "Pod", "longhorn-manager-a", "longhorn-system", { phase: "Running" });

    const refused = await cluster.recover(["stuck-finalizers", "replicas", "r-live", "-p", "minutes=0"]);
    expect(refused.code, refused.stdout).toBe(3);
    expect(refused.stdout).toContain("longhorn-manager runs on the object's node and can still finish it");
    expect(cluster.get("longhorn.io/v1beta2", "Replica", "r-live", "longhorn-system")).toBeDefined();

    const waitMore = await cluster.recover(["stuck-finalizers", "replicas", "r-gone"]);
    expect(waitMore.code).toBe(3);
    expect(waitMore.stdout).toContain("wait until it has been deleting for 10 minutes");

    const released = await cluster.recover(["stuck-finalizers", "replicas", "r-gone", "-p", "minutes=0"]);
    expect(released.code, released.stdout + released.stderr).toBe(0);
    expect(released.stdout).toMatch(
      /replicas\/r-gone: deleting since \S+, finalizers longhorn\.io, its node k3s9 \(gone from Kubernetes\)/,
    );
    expect(cluster.get("longhorn.io/v1beta2", "Replica", "r-gone", "longhorn-system")).toBeUndefined();
  });

  it("never strips a finalizer from an object that is not being deleted", async () => {
    cluster = await clusterWith([lh("Volume", "v1", { spec: { numberOfReplicas: 2 } })]);
    cluster.kube.api
      .client("test")
      .resource("longhorn.io/v1beta2", "Volume")
      .patch("v1", "longhorn-system", { metadata: { finalizers: ["longhorn.io"] } });
    const result = await cluster.recover(["stuck-finalizers", "volumes", "v1", "-p", "minutes=0"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("never strip a finalizer from a live object");
    expect(cluster.get("longhorn.io/v1beta2", "Volume", "v1", "longhorn-system")?.metadata.finalizers).toEqual(["longhorn.io"]);
  });

  it("takes the owner of a detached volume (empty spec.nodeID) from status.ownerID: refused while its manager runs", async () => {
    cluster = await clusterWith([
      lh("Volume", "v-detached", { spec: { nodeID: "", numberOfReplicas: 1 } }),
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "longhorn-manager-a", namespace: "longhorn-system", labels: { app: "longhorn-manager" } },
        spec: { nodeName: "k3s1", containers: [{ name: "m", image: "longhornio/longhorn-manager:v1.9.2" }] },
      } as KubeObject,
    ]);
    await setStatus(cluster, "v1", "Pod", "longhorn-manager-a", "longhorn-system", { phase: "Running" });
    await setStatus(cluster, "longhorn.io/v1beta2", "Volume", "v-detached", "longhorn-system", { ownerID: "k3s1" });
    const client = cluster.kube.api.client("test");
    client.resource("longhorn.io/v1beta2", "Volume").patch("v-detached", "longhorn-system", { metadata: { finalizers: ["longhorn.io"] } });
    client.resource("longhorn.io/v1beta2", "Volume").delete("v-detached", "longhorn-system");
    const result = await cluster.recover(["stuck-finalizers", "volumes", "v-detached", "-p", "minutes=0"]);
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(result.stdout).toContain("its node k3s1 (exists)");
    expect(result.stdout).toContain("longhorn-manager runs on the object's node and can still finish it");
    expect(cluster.get("longhorn.io/v1beta2", "Volume", "v-detached", "longhorn-system")?.metadata.finalizers).toEqual(["longhorn.io"]);
  });

  it("refuses a volume whose snapshot still holds its finalizer (#4278), naming it; the snapshot goes first", async () => {
    cluster = await clusterWith([
      lh("Volume", "v-4278", { spec: { nodeID: "k3s9", numberOfReplicas: 1 } }),
      lh("Snapshot", "s-4278", { spec: { volume: "v-4278" } }),
    ]);
    const client = cluster.kube.api.client("test");
    for (const [kind, name] of [
      ["Snapshot", "s-4278"],
      ["Volume", "v-4278"],
    ] as const) {
      client.resource("longhorn.io/v1beta2", kind).patch(name, "longhorn-system", { metadata: { finalizers: ["longhorn.io"] } });
      client.resource("longhorn.io/v1beta2", kind).delete(name, "longhorn-system");
    }
    const refused = await cluster.recover(["stuck-finalizers", "volumes", "v-4278", "-p", "minutes=0"]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(3);
    expect(refused.stdout).toContain("its snapshots: s-4278 finalizers longhorn.io");
    expect(refused.stdout).toContain("volume v-4278 waits on its snapshots s-4278");
    expect(cluster.get("longhorn.io/v1beta2", "Volume", "v-4278", "longhorn-system")?.metadata.finalizers).toEqual(["longhorn.io"]);

    const snapshot = await cluster.recover(["stuck-finalizers", "snapshots", "s-4278", "-p", "minutes=0"]);
    expect(snapshot.code, snapshot.stdout + snapshot.stderr).toBe(0);
    expect(cluster.get("longhorn.io/v1beta2", "Snapshot", "s-4278", "longhorn-system")).toBeUndefined();
    const volume = await cluster.recover(["stuck-finalizers", "volumes", "v-4278", "-p", "minutes=0"]);
    expect(volume.code, volume.stdout + volume.stderr).toBe(0);
    expect(cluster.get("longhorn.io/v1beta2", "Volume", "v-4278", "longhorn-system")).toBeUndefined();
  });
});

describe("stuck-volume-attachment", () => {
  it("drops only the ticket whose CSI VolumeAttachment is gone, and the finalizer of an attachment whose PV is gone", async () => {
    cluster = await clusterWith([
      lh("VolumeAttachment", "vol1", {
        spec: {
          volume: "vol1",
          attachmentTickets: {
            "csi-gone": { id: "csi-gone", type: "csi-attacher", nodeID: "k3s1", parameters: {} },
            "csi-live": { id: "csi-live", type: "csi-attacher", nodeID: "k3s1", parameters: {} },
            "longhorn-ui": { id: "longhorn-ui", type: "longhorn-api", nodeID: "k3s1", parameters: {} },
          },
        },
      }),
      {
        apiVersion: "storage.k8s.io/v1",
        kind: "VolumeAttachment",
        metadata: { name: "csi-live" },
        spec: { attacher: "driver.longhorn.io", nodeName: "k3s1", source: { persistentVolumeName: "vol1" } },
      } as KubeObject,
      {
        apiVersion: "storage.k8s.io/v1",
        kind: "VolumeAttachment",
        metadata: { name: "csi-old", finalizers: ["external-attacher/driver-longhorn-io"] },
        spec: { attacher: "driver.longhorn.io", nodeName: "k3s2", source: { persistentVolumeName: "vol1" } },
      } as KubeObject,
    ]);
    cluster.kube.api.client("test").resource("storage.k8s.io/v1", "VolumeAttachment").delete("csi-old");

    const result = await cluster.recover(["stuck-volume-attachment", "vol1"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "lhva tickets without their CSI VolumeAttachment or node: csi-gone; CSI VolumeAttachments being deleted whose PV or node is gone: csi-old (node k3s2)",
    );
    const lhva = cluster.get("longhorn.io/v1beta2", "VolumeAttachment", "vol1", "longhorn-system") as KubeObject & {
      spec: { attachmentTickets: Record<string, unknown> };
    };
    expect(Object.keys(lhva.spec.attachmentTickets).sort()).toEqual(["csi-live", "longhorn-ui"]);
    expect(cluster.get("storage.k8s.io/v1", "VolumeAttachment", "csi-old")).toBeUndefined();
    expect(cluster.get("storage.k8s.io/v1", "VolumeAttachment", "csi-live")).toBeDefined();
  });
});

describe("stuck-pvc", () => {
  const claim = (finalizers: string[]): KubeObject =>
    ({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "apps", finalizers },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "longhorn" },
    }) as KubeObject;
  const pod = (name: string, nodeName: string): KubeObject =>
    ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "apps" },
      spec: {
        nodeName,
        containers: [{ name: "app", image: "nginx" }],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }],
      },
    }) as KubeObject;

  it("forces the pod stuck Terminating on a dead node, then lets the claim go", async () => {
    cluster = await clusterWith([ns("apps"), claim(["kubernetes.io/pvc-protection"]), pod("web-0", "k3s2")]);
    const client = cluster.kube.api.client("test");
    client.resource("v1", "Pod").delete("web-0", "apps");
    client.resource("v1", "PersistentVolumeClaim").delete("data", "apps");
    const result = await cluster.recover(["stuck-pvc", "apps/data"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/pods using it: web-0 on k3s2 \(node NotReady or gone\), Terminating/);
    expect(cluster.get("v1", "Pod", "web-0", "apps")).toBeUndefined();
    expect(cluster.get("v1", "PersistentVolumeClaim", "data", "apps")).toBeUndefined();
  });

  it("refuses while a pod on a Ready node uses the claim", async () => {
    cluster = await clusterWith([ns("apps"), claim(["kubernetes.io/pvc-protection"]), pod("web-0", "k3s1")]);
    cluster.kube.api.client("test").resource("v1", "PersistentVolumeClaim").delete("data", "apps");
    const result = await cluster.recover(["stuck-pvc", "apps/data"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("recover forces only pods stuck on a dead node");
    expect(cluster.get("v1", "Pod", "web-0", "apps")).toBeDefined();
    expect(cluster.get("v1", "PersistentVolumeClaim", "data", "apps")?.metadata.finalizers).toEqual(["kubernetes.io/pvc-protection"]);
  });
});
