import { applyBuiltinDefaults } from "../api/builtin-rules.js";
import { registerCrd } from "../api/crd-sync.js";
import { applyCreateDefaults } from "../api/defaults.js";
import type { ApiContext } from "../http/context.js";
import { isCrdType, isNamespaceType } from "../registry/names.js";
import { rfc3339 } from "../store/objects.js";
import type { StoreChange } from "../store/store.js";
import type { KubeObject, ResourceType } from "../types.js";
import type { Fault, FaultHandle, FaultInfo, FaultSet } from "./faults.js";
import { FixtureError, readFixtureObjects } from "./fixtures.js";
import type { RequestLog, RequestLogEntry } from "./request-log.js";

/** Drills and tests steer the emulator through this (in-process; also over HTTP under /recover-lab/v1). */
export interface KubeApiControl {
  /** Loads fixture objects (a YAML/JSON file, a directory of them, or objects): CRDs first (their types get served), then namespaces, then the rest. Returns how many objects were loaded. */
  load(pathOrObjects: string | KubeObject[]): Promise<number>;
  /** Every API request so far (control requests excluded), oldest first. */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Makes matching requests fail, stall or drop; see Fault. */
  inject(fault: Fault): FaultHandle;
  /** The active faults. */
  faults(): FaultInfo[];
  clearFaults(): void;
  /**
   * Compacts the history as etcd does every few minutes: lists and watches from an older
   * resourceVersion get 410, so informers relist (client-go reflectors, the Python client's watch). Returns the compacted revision.
   */
  compact(): number;
  /** Called synchronously after every stored change; simulated controllers (Longhorn, Flux) react here. Returns an unsubscribe function. */
  onChange(hook: (change: StoreChange) => void): () => void;
}

/** Builds the control interface over the emulator's parts. */
export function createControl(context: ApiContext, faults: FaultSet, log: RequestLog): KubeApiControl {
  return {
    load: async (pathOrObjects) =>
      loadObjects(context, typeof pathOrObjects === "string" ? await readFixtureObjects(pathOrObjects) : pathOrObjects),
    requests: () => log.list(),
    clearRequests: () => log.clear(),
    inject: (fault) => faults.inject(fault),
    faults: () => faults.list(),
    clearFaults: () => faults.clear(),
    compact: () => {
      context.store.compact();
      return context.store.oldestResourceVersion();
    },
    onChange: (hook) => context.store.onChange(hook),
  };
}

/** Loads objects in dependency order; every unknown kind is reported at once and nothing is loaded then. */
export function loadObjects(context: ApiContext, objects: KubeObject[]): number {
  const now = rfc3339(context.clock());
  const crdType = context.registry.byKind("apiextensions.k8s.io/v1", "CustomResourceDefinition");
  const namespaceType = context.registry.byKind("v1", "Namespace");
  if (!crdType || !namespaceType) throw new Error("the registry lacks CustomResourceDefinition or Namespace (a bug)");
  const crds = objects.filter((o) => o.kind === "CustomResourceDefinition");
  for (const crd of crds) {
    const stored = applyCreateDefaults(crdType, crd, now);
    if (!registerCrd(context, stored)) throw new FixtureError(`invalid CustomResourceDefinition ${crd.metadata.name}`);
    context.store.load(crdType, [stored]);
  }
  const rest = objects.filter((o) => o.kind !== "CustomResourceDefinition");
  const unknown = rest.filter((o) => !context.registry.byKind(o.apiVersion, o.kind));
  if (unknown.length > 0) {
    const kinds = [...new Set(unknown.map((o) => `${o.apiVersion} ${o.kind}`))];
    throw new FixtureError(
      `no resource type serves ${kinds.join(", ")} (objects ${unknown.map((o) => o.metadata.name).join(", ")}); load the CRD first`,
    );
  }
  const byType = new Map<ResourceType, KubeObject[]>();
  for (const object of rest) {
    const type = context.registry.byKind(object.apiVersion, object.kind) as ResourceType;
    byType.set(type, [...(byType.get(type) ?? []), withDefaults(type, object, now)]);
  }
  // Namespaces first, including those the objects live in that no fixture declares.
  const namespaces = byType.get(namespaceType) ?? [];
  const declared = new Set(namespaces.map((n) => n.metadata.name));
  for (const [type, items] of byType) {
    if (!type.namespaced) continue;
    for (const item of items) {
      const ns = item.metadata.namespace as string;
      if (declared.has(ns) || context.store.tryGet(namespaceType, undefined, ns)) continue;
      declared.add(ns);
      namespaces.push(applyCreateDefaults(namespaceType, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }, now));
    }
  }
  if (namespaces.length > 0) context.store.load(namespaceType, namespaces);
  for (const [type, items] of byType) if (!isNamespaceType(type) && !isCrdType(type)) context.store.load(type, items);
  return crds.length + rest.length;
}

/**
 * Fixtures keep their state, but what Go's serialisation always writes is filled in as on a real
 * server (every nodeInfo string: the Python client's read_node refuses a Node without them).
 */
function withDefaults(type: ResourceType, object: KubeObject, now: string): KubeObject {
  const metadata = { ...object.metadata };
  if (type.namespaced) metadata.namespace = metadata.namespace || "default";
  else delete metadata.namespace;
  if (isNamespaceType(type)) return applyCreateDefaults(type, { ...object, metadata }, now);
  return applyBuiltinDefaults(type, { ...object, metadata }, true);
}
