/**
 * Defaults and checks of the built-ins the lab uses that a schema cannot say: what the real
 * server's defaulting and validation functions do for pods, nodes and leases.
 */

import type { StatusCause } from "../status.js";
import { statusError } from "../status-codes.js";
import type { KubeObject, ResourceType } from "../types.js";

const NODE_INFO_FIELDS = [
  "machineID",
  "systemUUID",
  "bootID",
  "kernelVersion",
  "osImage",
  "containerRuntimeVersion",
  "kubeletVersion",
  "kubeProxyVersion",
  "operatingSystem",
  "architecture",
];
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const is = (type: ResourceType, group: string, resource: string) => type.group === group && type.resource === resource;

/**
 * Pods start Pending; a Node always carries every nodeInfo string (Go serialises the struct whole,
 * and the Python client's read_node fails on a missing one) and its kubelet endpoint.
 */
export function applyBuiltinDefaults(type: ResourceType, object: KubeObject, creating: boolean): KubeObject {
  if (is(type, "", "pods") && creating) {
    const status = record(object.status);
    return { ...object, status: { ...status, phase: status.phase ?? "Pending" } };
  }
  if (is(type, "", "nodes")) {
    const status = record(object.status);
    const nodeInfo = { ...Object.fromEntries(NODE_INFO_FIELDS.map((f) => [f, ""])), ...record(status.nodeInfo) };
    const daemonEndpoints = { kubeletEndpoint: { Port: 0 }, ...record(status.daemonEndpoints) };
    return { ...object, status: { ...status, nodeInfo, daemonEndpoints } };
  }
  return object;
}

/** ValidatePod's container checks (a runbook's or drill's bad manifest): at least one, each named once and with an image. */
function podCauses(object: KubeObject): StatusCause[] {
  const spec = record(object.spec);
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  if (containers.length === 0) return [{ reason: "FieldValueRequired", field: "spec.containers", message: "Required value" }];
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  for (const [field, list] of [
    ["initContainers", spec.initContainers],
    ["containers", containers],
  ] as const) {
    (Array.isArray(list) ? list : []).forEach((item, i) => {
      const container = record(item);
      const path = `spec.${field}[${i}]`;
      const name = typeof container.name === "string" ? container.name : "";
      if (!name) causes.push({ reason: "FieldValueRequired", field: `${path}.name`, message: "Required value" });
      else if (seen.has(name))
        causes.push({ reason: "FieldValueDuplicate", field: `${path}.name`, message: `Duplicate value: ${JSON.stringify(name)}` });
      seen.add(name);
      if (!container.image) causes.push({ reason: "FieldValueRequired", field: `${path}.image`, message: "Required value" });
    });
  }
  return causes;
}

/** The Pod rules, and the Lease rules (the recovery lock): times must decode (400), the duration be positive (422). */
export function builtinCauses(type: ResourceType, object: KubeObject): StatusCause[] {
  if (is(type, "", "pods")) return podCauses(object);
  if (!is(type, "coordination.k8s.io", "leases")) return [];
  const spec = record(object.spec);
  for (const field of ["acquireTime", "renewTime"]) {
    const value = spec[field];
    if (typeof value === "string" && !MICRO_TIME.test(value))
      throw statusError(
        400,
        "BadRequest",
        `Lease in version "v1" cannot be handled as a Lease: parsing time "${value}" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "${value}" as "2006"`,
      );
  }
  const duration = spec.leaseDurationSeconds;
  if (typeof duration === "number" && duration <= 0)
    return [
      { reason: "FieldValueInvalid", field: "spec.leaseDurationSeconds", message: `Invalid value: ${duration}: must be greater than 0` },
    ];
  return [];
}
