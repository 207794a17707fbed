import { conditionStatus, setCondition } from "./conditions.js";
import type { CollectedDiskInfo } from "./disk-monitor.js";
import { isSchedulableToDisk, type SchedulingSettings } from "./scheduling.js";
import type { DiskStatus, LonghornNode, Replica } from "./types.js";

const HUNDRED_MIB = 100 * 1024 * 1024;

export interface DiskStatusInput {
  node: LonghornNode;
  collected: Record<string, CollectedDiskInfo>;
  replicas: readonly Replica[];
  settings: SchedulingSettings;
  now: string;
}

export interface DiskStatusResult {
  diskStatus: Record<string, DiskStatus>;
  /** Replicas on a Ready disk whose recorded node or path differ from the disk's (the controller rewrites them). */
  replicaMoves: { name: string; nodeID: string; diskPath: string }[];
}

function blankStatus(): DiskStatus {
  return {
    conditions: [],
    diskUUID: "",
    diskName: "",
    diskPath: "",
    diskType: "filesystem",
    diskDriver: "",
    filesystemType: "",
    storageMaximum: 0,
    storageAvailable: 0,
    storageScheduled: 0,
    scheduledReplica: {},
    scheduledBackingImage: {},
    instanceManagerName: "",
  };
}

/**
 * NodeController.syncDiskStatus, pure: alignDiskSpecAndStatus, findNotReadyAndReadyDiskMaps (a
 * recorded UUID that the disk no longer shows, or another one, is DiskFilesystemChanged; two
 * disks on one filesystem too), the Ready condition with its real messages, and
 * updateDiskStatusSchedulableCondition (storageScheduled from the replicas naming the disk's
 * UUID; DiskPressure through isSchedulableToDisk). What longhorn-node's node-ready step polls.
 */
export function syncDiskStatus(input: DiskStatusInput): DiskStatusResult {
  const { node, collected, now } = input;
  const name = node.metadata.name;
  const old = node.status?.diskStatus ?? {};
  const status: Record<string, DiskStatus> = {};
  for (const [diskName, spec] of Object.entries(node.spec.disks ?? {})) {
    const prior = old[diskName];
    status[diskName] = {
      ...blankStatus(),
      ...(prior ? structuredClone(prior) : {}),
      storageMaximum: 0,
      storageAvailable: 0,
      diskType: spec.diskType,
    };
  }
  const notReady = new Map<string, { reason: string; message: string }>();
  const groups = new Map<string, string[]>();
  for (const diskName of Object.keys(status).sort()) {
    const info = collected[diskName];
    if (!info) continue;
    if (info.condition) {
      notReady.set(diskName, info.condition);
      continue;
    }
    const recorded = status[diskName]?.diskUUID ?? "";
    if (recorded !== "") {
      const message =
        info.diskUUID === ""
          ? `Disk ${diskName}(${info.path}) on node ${name} is not ready: cannot find disk config file, maybe due to a mount error`
          : recorded !== info.diskUUID
            ? `Disk ${diskName}(${info.path}) on node ${name} is not ready: record diskUUID doesn't match the one on the disk `
            : "";
      if (message) {
        notReady.set(diskName, { reason: "DiskFilesystemChanged", message });
        continue;
      }
    }
    const fsid = info.stat?.fsid ?? "unknown";
    groups.set(fsid, [...(groups.get(fsid) ?? []), diskName]);
  }
  const ready = new Set<string>();
  for (const [fsid, names] of groups) {
    let readyInGroup = false;
    for (const diskName of names) {
      const info = collected[diskName] as CollectedDiskInfo;
      const otherReady = names.length > 1 && names.some((o) => o !== diskName && conditionStatus(old[o]?.conditions, "Ready") === "True");
      if (otherReady || readyInGroup) {
        notReady.set(diskName, {
          reason: "DiskFilesystemChanged",
          message: `Disk ${diskName}(${info.path}) on node ${name} is not ready: disk has same file system ID ${fsid} as other disks [${names.join(" ")}]`,
        });
        continue;
      }
      const disk = status[diskName] as DiskStatus;
      disk.diskUUID = info.diskUUID;
      disk.diskName = info.diskName;
      disk.diskPath = info.path;
      ready.add(diskName);
      readyInGroup = true;
    }
  }
  for (const [diskName, condition] of notReady) {
    const disk = status[diskName] as DiskStatus;
    disk.conditions = setCondition(disk.conditions, "Ready", "False", condition.reason, condition.message, now);
  }
  for (const diskName of ready) {
    const disk = status[diskName] as DiskStatus;
    const stat = collected[diskName]?.stat;
    if (!stat) continue;
    disk.storageAvailable = Math.floor(stat.storageAvailable / HUNDRED_MIB) * HUNDRED_MIB;
    disk.storageMaximum = stat.storageMaximum;
    disk.filesystemType = stat.type;
    disk.conditions = setCondition(
      disk.conditions,
      "Ready",
      "True",
      "",
      `Disk ${diskName}(${stat && collected[diskName]?.path}) on node ${name} is ready`,
      now,
    );
  }
  const replicaMoves: DiskStatusResult["replicaMoves"] = [];
  for (const [diskName, spec] of Object.entries(node.spec.disks ?? {})) {
    const disk = status[diskName] as DiskStatus;
    if (conditionStatus(disk.conditions, "Ready") !== "True") {
      disk.storageScheduled = 0;
      disk.scheduledReplica = {};
      disk.conditions = setCondition(
        disk.conditions,
        "Schedulable",
        "False",
        "DiskNotReady",
        `Disk ${diskName} (${spec.path}) on the node ${name} is not ready`,
        now,
      );
      continue;
    }
    const scheduled: Record<string, number> = {};
    for (const replica of input.replicas) {
      if (replica.spec.diskID !== disk.diskUUID) continue;
      // ListReplicasByDiskUUID("") finds #6790's replicas (label longhorndiskuuid=""): only this disk's own, never moved.
      if (disk.diskUUID === "" && (replica.spec.nodeID !== name || replica.spec.diskPath !== spec.path)) continue;
      if (replica.spec.nodeID !== name || replica.spec.diskPath !== spec.path)
        replicaMoves.push({ name: replica.metadata.name, nodeID: name, diskPath: spec.path });
      scheduled[replica.metadata.name] = Number(replica.spec.volumeSize);
    }
    disk.scheduledReplica = scheduled;
    disk.storageScheduled = Object.values(scheduled).reduce((a, b) => a + b, 0);
    const check = isSchedulableToDisk(0, 0, { ...disk, storageReserved: spec.storageReserved }, input.settings);
    disk.conditions = check.ok
      ? setCondition(disk.conditions, "Schedulable", "True", "", `Disk ${diskName}(${spec.path}) on node ${name} is schedulable`, now)
      : setCondition(
          disk.conditions,
          "Schedulable",
          "False",
          "DiskPressure",
          `Disk ${diskName} (${spec.path}) on the node ${name} is not schedulable for more replica; ${check.message}`,
          now,
        );
  }
  return { diskStatus: status, replicaMoves };
}
