/**
 * Longhorn's validating webhook for nodes.longhorn.io (longhorn-manager webhook/resources/node/
 * validator.go), for the simulated Longhorn to register: the refusals a disk-replacement runbook
 * meets (removing a disk that is still schedulable or holds replicas, evicting while scheduling is
 * allowed, writing disks before the node controller synced them) and, from 1.10, deleting a node
 * that is still Ready or runs replicas. Messages are Longhorn's, quirks included.
 */
import type { AdmissionHook, AdmissionRequest } from "../api/admission.js";
import { ApiError } from "../status.js";
import type { KubeObject } from "../types.js";

/** The Longhorn minor the lab runs: 1.10 added the node-deletion rule and the empty spec.name check. */
export type LonghornVersion = "1.9" | "1.10";

/** Longhorn's v1beta2 DiskSpec: the disk's type is `diskType` in JSON (Go field Type). */
interface DiskSpec {
  path?: string;
  diskType?: string;
  diskDriver?: string;
  allowScheduling?: boolean;
  evictionRequested?: boolean;
  storageReserved?: number;
}
interface NodeSpec {
  name?: string;
  allowScheduling?: boolean;
  evictionRequested?: boolean;
  instanceManagerCPURequest?: number;
  disks?: Record<string, DiskSpec>;
}
interface NodeStatus {
  diskStatus?: Record<string, { storageScheduled?: number }>;
  conditions?: { type?: string; status?: string; reason?: string }[];
}

const LONGHORN_FINALIZER = "longhorn.io";
const UNINSTALLING_ANNOTATION = "longhorn.io/delete-node-from-longhorn";

const spec = (node: KubeObject): NodeSpec => (node.spec ?? {}) as NodeSpec;
const status = (node: KubeObject): NodeStatus => (node.status ?? {}) as NodeStatus;
const disksOf = (node: KubeObject): [string, DiskSpec][] => Object.entries(spec(node).disks ?? {});

/** werror.NewInvalidError: 422 with one FieldValueInvalid cause carrying the same message. */
const invalid = (message: string): ApiError =>
  new ApiError(422, "Invalid", message, { causes: [{ reason: "FieldValueInvalid", message, field: "" }] });
const forbidden = (message: string): ApiError => new ApiError(403, "Forbidden", message);

export interface LonghornNodeValidatorOptions {
  version: LonghornVersion;
}

/** The webhook `validator.longhorn.io`, as far as nodes go. */
export function longhornNodeValidator(options: LonghornNodeValidatorOptions): AdmissionHook {
  return {
    name: "validator.longhorn.io",
    kind: "webhook",
    matches: (request) =>
      request.type.group === "longhorn.io" &&
      request.type.resource === "nodes" &&
      request.subresource === undefined &&
      (request.operation !== "DELETE" || options.version === "1.10"),
    admit(request) {
      if (request.operation === "CREATE") validateCreate(request);
      else if (request.operation === "UPDATE") validateUpdate(request, options.version);
      else validateDelete(request);
    },
  };
}

/** Longhorn's v2-data-engine setting (false when absent, as on a fresh install). */
function v2DataEngineEnabled(request: AdmissionRequest): boolean {
  const setting = request.cluster.tryGet("longhorn.io/v1beta2", "Setting", "longhorn-system", "v2-data-engine");
  return String((setting as { value?: unknown } | undefined)?.value ?? "false") === "true";
}

function validateCreate(request: AdmissionRequest): void {
  const node = request.object as KubeObject;
  if ((spec(node).instanceManagerCPURequest ?? 0) < 0) throw invalid("instanceManagerCPURequest should be greater than or equal to 0");
  const v2 = v2DataEngineEnabled(request);
  for (const [name, disk] of disksOf(node)) {
    if (!v2 && disk.diskType === "block")
      throw invalid(`disk ${name} type ${disk.diskType} is not supported since v2 data engine is disabled`);
    if (disk.diskType !== "block" && disk.diskDriver)
      throw invalid(`disk ${name} type ${disk.diskType ?? ""} is not supported to specify disk driver`);
  }
  checkDuplicatePaths(node);
}

function validateUpdate(request: AdmissionRequest, version: LonghornVersion): void {
  const old = request.oldObject as KubeObject;
  const node = request.object as KubeObject;
  // The controller must always be able to let go of a node being deleted.
  if (isRemovingLonghornFinalizer(old, node)) return;
  const next = spec(node);
  if ((next.instanceManagerCPURequest ?? 0) < 0) throw invalid("instanceManagerCPURequest should be greater than or equal to 0");
  if (next.evictionRequested && next.allowScheduling)
    throw invalid(
      `need to disable scheduling on node ${old.metadata.name} for node eviction, or cancel eviction to enable scheduling on this node`,
    );
  if (!diskSpecAndStatusSynced(old))
    throw forbidden(`spec and status of disks on node ${old.metadata.name} are being syncing and please retry later.`);
  if (version === "1.10" && !next.name) throw invalid("node name is invalid. You can't have a Spec.Name empty");
  for (const [name, disk] of disksOf(node))
    if (disk.evictionRequested && disk.allowScheduling)
      throw invalid(`need to disable scheduling on disk ${name} for disk eviction, or cancel eviction to enable scheduling on this disk`);
  const v2 = v2DataEngineEnabled(request);
  const nodeName = node.metadata.name ?? "";
  for (const [name, disk] of disksOf(node)) {
    if ((disk.storageReserved ?? 0) < 0)
      throw invalid(
        `update disk on node ${nodeName} error: The storageReserved setting of disk ${name}(${disk.path ?? ""}) is not valid, should be positive and no more than storageMaximum and storageAvailable`,
      );
    if (!v2 && disk.diskType === "block")
      throw invalid(
        `update disk on node ${nodeName} error: The disk ${name}(${disk.path ?? ""}) is a block device, but the SPDK feature is not enabled`,
      );
    if (disk.diskType !== "block" && disk.diskDriver)
      throw invalid(`disk ${name} type ${disk.diskType ?? ""} is not supported to specify disk driver`);
  }
  checkDuplicatePaths(node);
  const kept = spec(node).disks ?? {};
  for (const [name, disk] of disksOf(old)) {
    const scheduled = status(old).diskStatus?.[name]?.storageScheduled ?? 0;
    // Longhorn names the disk where the message says node, and ends it with a space: kept as it is.
    if (!(name in kept) && (disk.allowScheduling || scheduled !== 0))
      throw invalid(
        `Delete Disk on node ${name} error: Please disable the disk ${disk.path ?? ""} and remove all replicas and backing images first `,
      );
  }
  for (const [name, disk] of disksOf(old)) {
    const now = kept[name];
    if (now && disk.diskType && disk.diskType !== now.diskType)
      throw invalid(`update disk on node ${nodeName} error: The disk ${name}(${disk.path ?? ""}) type is not allow to change`);
  }
}

/** 1.10: a node leaves Longhorn only when its Kubernetes node or manager pod is gone, scheduling is off and nothing runs on it. */
function validateDelete(request: AdmissionRequest): void {
  const node = request.oldObject as KubeObject;
  if (node.metadata.annotations?.[UNINSTALLING_ANNOTATION] !== undefined) return;
  const name = node.metadata.name ?? "";
  const onNode = (kind: string) =>
    request.cluster.list("longhorn.io/v1beta2", kind).filter((o) => (o.spec as { nodeID?: string } | undefined)?.nodeID === name).length;
  const replicas = onNode("Replica");
  const engines = onNode("Engine");
  const ready = status(node).conditions?.find((c) => c.type === "Ready") ?? {};
  const schedulable = spec(node).allowScheduling ?? false;
  if (
    ready.status === "True" ||
    (ready.reason !== "KubernetesNodeGone" && ready.reason !== "ManagerPodMissing") ||
    schedulable ||
    replicas > 0 ||
    engines > 0
  )
    throw invalid(
      `could not delete node ${name} with node ready condition is ${ready.status ?? ""}, reason is ${ready.reason ?? ""}, node schedulable ${schedulable}, and ${replicas} replica, ${engines} engine running on it`,
    );
}

function isRemovingLonghornFinalizer(old: KubeObject, next: KubeObject): boolean {
  if (!old.metadata.deletionTimestamp) return false;
  const before = old.metadata.finalizers ?? [];
  const after = next.metadata.finalizers ?? [];
  return after.length === before.length - 1 && before.includes(LONGHORN_FINALIZER) && !after.includes(LONGHORN_FINALIZER);
}

function diskSpecAndStatusSynced(node: KubeObject): boolean {
  const disks = Object.keys(spec(node).disks ?? {});
  const statuses = status(node).diskStatus ?? {};
  return disks.length === Object.keys(statuses).length && disks.every((name) => name in statuses);
}

/** Go's filepath.Clean, for the absolute paths disks have. */
function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return path.startsWith("/") ? `/${parts.join("/")}` : parts.join("/") || ".";
}

function checkDuplicatePaths(node: KubeObject): void {
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const [name, disk] of disksOf(node)) {
    const path = cleanPath(disk.path ?? "");
    const first = seen.get(path);
    if (first !== undefined) duplicates.push(`${path} (disks ${first} and ${name})`);
    else seen.set(path, name);
  }
  if (duplicates.length > 0) throw invalid(`duplicate disk paths on node ${node.metadata.name}: [${duplicates.join(" ")}]`);
}
