/** Resource types, a settable clock and small helpers shared by the store tests. */

import { ApiError } from "../../../../src/lab/kube-api/status.js";
import type { KubeObject, ResourceType, WatchEvent } from "../../../../src/lab/kube-api/types.js";

function resourceType(fields: Partial<ResourceType> & Pick<ResourceType, "resource" | "kind" | "namespaced">): ResourceType {
  return {
    group: "",
    version: "v1",
    versions: [fields.version ?? "v1"],
    singular: fields.kind.toLowerCase(),
    listKind: `${fields.kind}List`,
    shortNames: [],
    categories: [],
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    subresources: { status: false },
    printerColumns: [],
    fieldSelectors: [],
    custom: false,
    ...fields,
  };
}

export const configMaps = resourceType({ resource: "configmaps", kind: "ConfigMap", namespaced: true });
export const pods = resourceType({
  resource: "pods",
  kind: "Pod",
  namespaced: true,
  subresources: { status: true },
  fieldSelectors: ["spec.nodeName"],
});
export const namespaces = resourceType({ resource: "namespaces", kind: "Namespace", namespaced: false, subresources: { status: true } });
/** Cluster-scoped custom resource with a status subresource, like a Longhorn node. */
export const lhNodes = resourceType({
  group: "longhorn.io",
  version: "v1beta2",
  versions: ["v1beta1", "v1beta2"],
  resource: "nodes",
  kind: "Node",
  namespaced: false,
  shortNames: ["lhn"],
  subresources: { status: true },
  custom: true,
});
/** Custom resource without a status subresource: status is ordinary content. */
export const widgets = resourceType({ group: "example.com", resource: "widgets", kind: "Widget", namespaced: true, custom: true });

/** A clock the test moves by hand. */
export function manualClock(start = "2025-03-01T12:00:00.000Z"): { now: () => Date; advance(seconds: number): void } {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (seconds) => {
      current += seconds * 1000;
    },
  };
}

export const namespace = (name: string): KubeObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });

export const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

/** The ApiError a call throws, so tests can assert on code, reason, message and details together. */
export function apiErrorOf(call: () => unknown): ApiError {
  try {
    call();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError, but the call succeeded");
}

/** Collects watch events as `TYPE name@rv` lines, keeping the objects for closer looks. */
export function eventLog(): { events: WatchEvent[]; lines: () => string[]; push: (event: WatchEvent) => void } {
  const events: WatchEvent[] = [];
  return {
    events,
    push: (event) => events.push(event),
    lines: () => events.map((e) => `${e.type} ${e.object.metadata.name ?? ""}@${e.object.metadata.resourceVersion}`),
  };
}
