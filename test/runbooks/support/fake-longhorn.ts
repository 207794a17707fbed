// Longhorn as far as the runbooks meet it, on the emulator's controller platform (after
// longhorn-manager 1.9.2): the node controller's disk status read from the real paths on this
// machine (a disk of the test host) or from a table (a node that is not this machine); the disk
// monitor's longhorn-disk.cfg (written when missing, empty → NoDiskInfo, `{}` → empty UUID); the
// Kubernetes node controller's default disks (syncDefaultDisks: whenever spec.disks is empty and
// the node is labelled create-default-disk=config); eviction moving replicas to another node; and
// upgrades driven by the HelmRelease's chart version (one minor at a time, else FailedUpgradePreCheck).
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, statfsSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Controller, KubeApi, KubeClient, KubeObject } from "../../../src/lab/kube-api/index.js";

const LH = "longhorn.io/v1beta2";
const NS = "longhorn-system";

interface DiskSpec {
  path: string;
  allowScheduling?: boolean;
  evictionRequested?: boolean;
  storageReserved?: number;
}
type LhNode = KubeObject & {
  spec: { disks?: Record<string, DiskSpec>; allowScheduling?: boolean };
  status?: { diskStatus?: Record<string, DiskStatus> };
};
interface DiskStatus {
  diskUUID: string;
  diskPath: string;
  diskType: string;
  storageMaximum: number;
  storageAvailable: number;
  storageScheduled: number;
  conditions: { type: string; status: string; reason: string; message: string }[];
}

export interface FakeLonghornOptions {
  /** The node whose disk paths are real paths on this machine (the test's sshd host). */
  hostNode?: string;
  /** Disks of the other nodes: path → UUID and size. */
  virtualDisks?: Record<string, Record<string, { uuid: string; size: number }>>;
  /** Where a replica evicted from a disk goes: node and disk path. */
  evictTo?: { node: string; path: string };
  /** Chart versions Longhorn is upgraded to when the HelmRelease asks (see startFakeUpgrades). */
}

const condition = (type: string, ok: boolean, reason = "", message = "") => ({ type, status: ok ? "True" : "False", reason, message });

/** What the disk monitor finds at a real path: the filesystem mounted there (or the directory's own), and longhorn-disk.cfg. */
function realDisk(path: string, key: string): { uuid: string; size: number; available: number; error?: string } {
  let isMount = false;
  try {
    isMount = statSync(path).dev !== statSync(dirname(path)).dev;
  } catch (error) {
    return { uuid: "", size: 0, available: 0, error: `failed to get disk config: ${(error as Error).message}` };
  }
  const fs = statfsSync(path);
  const size = fs.blocks * fs.bsize;
  const available = fs.bavail * fs.bsize;
  void isMount; // a directory on the root filesystem is a "disk" too: that is the danger the runbook avoids
  const cfg = join(path, "longhorn-disk.cfg");
  let text: string | undefined;
  try {
    text = readFileSync(cfg, "utf8");
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    const uuid = randomUUID();
    try {
      writeFileSync(cfg, JSON.stringify({ diskName: key, diskUUID: uuid, diskDriver: "" }));
      mkdirSync(join(path, "replicas"), { recursive: true });
    } catch (error) {
      return { uuid: "", size, available, error: `failed to generate disk config: error: ${(error as Error).message}` };
    }
    return { uuid, size, available };
  }
  try {
    const parsed = JSON.parse(text) as { diskUUID?: string };
    return { uuid: parsed.diskUUID ?? "", size, available };
  } catch (error) {
    return { uuid: "", size, available, error: `failed to unmarshal host ${cfg} content: ${text}: ${(error as Error).message}` };
  }
}

function syncNode(client: KubeClient, name: string, options: FakeLonghornOptions): void {
  const nodes = client.resource<LhNode>(LH, "Node");
  const node = nodes.tryGet(name, NS);
  if (!node) return;
  const replicas = client.resource(LH, "Replica").list(NS) as (KubeObject & { spec: Record<string, unknown> })[];
  const before = node.status?.diskStatus ?? {};
  const diskStatus: Record<string, DiskStatus> = {};
  for (const [key, disk] of Object.entries(node.spec.disks ?? {})) {
    const virtual = options.virtualDisks?.[name]?.[disk.path];
    const found =
      name === options.hostNode
        ? realDisk(disk.path, key)
        : virtual
          ? { uuid: virtual.uuid, size: virtual.size, available: virtual.size }
          : { uuid: "", size: 0, available: 0, error: "no such disk" };
    const known = before[key]?.diskUUID ?? "";
    let ready = !found.error && found.uuid !== "";
    let reason = found.error ? "NoDiskInfo" : "";
    let message = found.error ?? "";
    if (!found.error && known !== "" && found.uuid !== known) {
      ready = false;
      reason = "DiskFilesystemChanged";
      message =
        found.uuid === ""
          ? "cannot find disk config file, maybe due to a mount error"
          : "record diskUUID doesn't match the one on the disk";
    }
    const uuid = ready ? found.uuid : known;
    const scheduled = replicas
      .filter((r) => uuid !== "" && r.spec.diskID === uuid)
      .reduce((sum, r) => sum + Number(r.spec.volumeSize ?? 0), 0);
    diskStatus[key] = {
      diskUUID: uuid,
      diskPath: disk.path,
      diskType: "filesystem",
      storageMaximum: ready ? found.size : 0,
      storageAvailable: ready ? found.available : 0,
      storageScheduled: ready ? scheduled : 0,
      conditions: [condition("Ready", ready, reason, message), condition("Schedulable", ready, ready ? "" : "DiskNotReady")],
    };
  }
  nodes.patch(
    name,
    NS,
    {
      status: {
        diskStatus: { ...Object.fromEntries(Object.keys(before).map((k) => [k, null])), ...diskStatus },
        conditions: [condition("Ready", true), condition("Schedulable", true)],
      },
    },
    { subresource: "status" },
  );
  // Eviction: Longhorn rebuilds the replicas of an evicted disk elsewhere, then removes them here.
  const evicted = Object.entries(node.spec.disks ?? {}).filter(([, d]) => d.evictionRequested && !d.allowScheduling);
  for (const [key] of evicted) {
    const uuid = diskStatus[key]?.diskUUID;
    if (!uuid || !options.evictTo) continue;
    for (const r of replicas.filter((r) => r.spec.diskID === uuid)) {
      const target = options.virtualDisks?.[options.evictTo.node]?.[options.evictTo.path];
      client.resource(LH, "Replica").patch(r.metadata.name ?? "", NS, {
        metadata: { labels: { longhornnode: options.evictTo.node, longhorndiskuuid: target?.uuid ?? "" } },
        spec: { nodeID: options.evictTo.node, diskID: target?.uuid ?? "", diskPath: options.evictTo.path },
      });
    }
  }
  // The Kubernetes node controller: default disks whenever the node has none (kubernetes_node_controller.go).
  if (Object.keys(node.spec.disks ?? {}).length === 0) {
    const kube = client.resource("v1", "Node").tryGet(name);
    const setting = client.resource(LH, "Setting").tryGet("create-default-disk-labeled-nodes", NS) as
      | (KubeObject & { value?: string })
      | undefined;
    const annotation = kube?.metadata.annotations?.["node.longhorn.io/default-disks-config"];
    if (setting?.value === "true" && kube?.metadata.labels?.["node.longhorn.io/create-default-disk"] === "config" && annotation) {
      const disks = JSON.parse(annotation) as { name: string; path: string; allowScheduling?: boolean }[];
      nodes.patch(name, NS, {
        spec: {
          disks: Object.fromEntries(
            disks.map((d) => [
              d.name,
              {
                path: d.path,
                allowScheduling: d.allowScheduling ?? false,
                evictionRequested: false,
                storageReserved: 0,
                tags: [],
                diskType: "filesystem",
              },
            ]),
          ),
        },
      });
    }
  }
}

/** Longhorn's node controller and default disks; resyncs every `everyMs` as the real one does. */
export function startFakeLonghorn(api: KubeApi, options: FakeLonghornOptions, everyMs = 300): () => void {
  const nodeController: Controller = {
    name: "longhorn-manager",
    keysFor: (change) => {
      const o = change.object;
      if (change.resource.group === "longhorn.io" && change.resource.kind === "Node") return [o.metadata.name ?? ""];
      if (change.resource.group === "longhorn.io" && change.resource.kind === "Replica")
        return [String((o.spec as { nodeID?: string })?.nodeID ?? "")];
      if (change.resource.group === "" && change.resource.kind === "Node") return [o.metadata.name ?? ""];
      return [];
    },
    initialKeys: (client) =>
      client
        .resource(LH, "Node")
        .list(NS)
        .map((n) => n.metadata.name ?? ""),
    reconcile(key, { client, queue }) {
      if (key === "") return;
      syncNode(client, key, options);
      queue.addAfter(key, everyMs);
    },
  };
  return api.startController(nodeController);
}

/** A Longhorn object in longhorn-system; `rest` holds spec, status, value, … */
export function lh(kind: string, name: string, rest: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject {
  return { apiVersion: LH, kind, metadata: { name, namespace: NS, ...(labels ? { labels } : {}) }, ...rest } as KubeObject;
}
