/**
 * The built-in resource types the runbooks touch, described as a Kubernetes 1.32 server
 * describes them in discovery (names, short names, verbs, categories, status subresource).
 */
import type { ResourceType } from "../types.js";
import { BUILTIN_SCHEMAS } from "./builtin-schemas.js";
import { eventFromCore, eventToCore } from "./event-conversion.js";

/** Verbs of an ordinary built-in collection, sorted as the real server lists them. */
const STANDARD_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
/** Namespaces cannot be deleted as a collection. */
const NAMESPACE_VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"];

/** The involvedObject/source fields the real server accepts as field selectors on core events. */
const CORE_EVENT_FIELDS = [
  "involvedObject.kind",
  "involvedObject.namespace",
  "involvedObject.name",
  "involvedObject.uid",
  "involvedObject.apiVersion",
  "involvedObject.resourceVersion",
  "involvedObject.fieldPath",
  "reason",
  "reportingComponent",
  "source",
  "type",
];

/** The same selectors on events.k8s.io/v1, by their names there. */
const EVENTS_V1_FIELDS = [
  "regarding.kind",
  "regarding.namespace",
  "regarding.name",
  "regarding.uid",
  "regarding.apiVersion",
  "regarding.resourceVersion",
  "regarding.fieldPath",
  "reason",
  "reportingController",
  "type",
];

interface BuiltinSpec {
  group?: string;
  version?: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  status?: boolean;
  eviction?: boolean;
  fieldSelectors?: string[];
  /** DaemonSets, PDBs and CRDs have a metadata.generation; the other built-ins served here do not. */
  generation?: boolean;
}

function builtin(spec: BuiltinSpec): ResourceType {
  const version = spec.version ?? "v1";
  return {
    group: spec.group ?? "",
    version,
    versions: [version],
    resource: spec.resource,
    singular: spec.kind.toLowerCase(),
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: spec.verbs ?? STANDARD_VERBS,
    subresources: { status: spec.status ?? false, ...(spec.eviction ? { eviction: true } : {}) },
    printerColumns: [],
    fieldSelectors: spec.fieldSelectors ?? [],
    custom: false,
    ...(spec.generation ? {} : { withoutGeneration: true }),
    ...(BUILTIN_SCHEMAS[`${spec.group ?? ""}/${spec.resource}`] ? { schema: BUILTIN_SCHEMAS[`${spec.group ?? ""}/${spec.resource}`] } : {}),
  };
}

/**
 * The built-in types the runbooks touch: core v1 namespaces, nodes, pods, persistentvolumes,
 * persistentvolumeclaims, events, configmaps, secrets; events.k8s.io/v1 events;
 * storage.k8s.io/v1 volumeattachments; coordination.k8s.io/v1 leases; apps/v1 daemonsets, statefulsets;
 * policy/v1 poddisruptionbudgets (and pods/eviction);
 * apiextensions.k8s.io/v1 customresourcedefinitions. A fresh copy on every call.
 */
export function builtinTypes(): ResourceType[] {
  const coreEvents = builtin({
    resource: "events",
    kind: "Event",
    namespaced: true,
    shortNames: ["ev"],
    fieldSelectors: CORE_EVENT_FIELDS,
  });
  return [
    builtin({
      resource: "namespaces",
      kind: "Namespace",
      namespaced: false,
      shortNames: ["ns"],
      verbs: NAMESPACE_VERBS,
      status: true,
      fieldSelectors: ["status.phase"],
    }),
    builtin({
      resource: "nodes",
      kind: "Node",
      namespaced: false,
      shortNames: ["no"],
      status: true,
      fieldSelectors: ["spec.unschedulable"],
    }),
    builtin({
      resource: "pods",
      kind: "Pod",
      namespaced: true,
      shortNames: ["po"],
      categories: ["all"],
      status: true,
      // kubectl drain evicts through it, so Longhorn's instance-manager PDBs are honoured.
      eviction: true,
      fieldSelectors: ["spec.nodeName", "status.phase"],
    }),
    builtin({ resource: "persistentvolumes", kind: "PersistentVolume", namespaced: false, shortNames: ["pv"], status: true }),
    builtin({
      resource: "persistentvolumeclaims",
      kind: "PersistentVolumeClaim",
      namespaced: true,
      shortNames: ["pvc"],
      status: true,
    }),
    coreEvents,
    builtin({ resource: "configmaps", kind: "ConfigMap", namespaced: true, shortNames: ["cm"] }),
    builtin({ resource: "secrets", kind: "Secret", namespaced: true, fieldSelectors: ["type"] }),
    // One store with core events, as on a real server: drills read what controllers record through either API.
    {
      ...builtin({
        group: "events.k8s.io",
        resource: "events",
        kind: "Event",
        namespaced: true,
        shortNames: ["ev"],
        fieldSelectors: EVENTS_V1_FIELDS,
      }),
      storedAs: { type: coreEvents, toStored: eventToCore, fromStored: eventFromCore },
    },
    builtin({ group: "storage.k8s.io", resource: "volumeattachments", kind: "VolumeAttachment", namespaced: false, status: true }),
    builtin({ group: "coordination.k8s.io", resource: "leases", kind: "Lease", namespaced: true }),
    // kubectl drain recognises DaemonSet-owned pods (Longhorn's manager, CSI plugin) by their owner.
    builtin({
      group: "apps",
      resource: "daemonsets",
      kind: "DaemonSet",
      namespaced: true,
      shortNames: ["ds"],
      categories: ["all"],
      status: true,
    }),
    // The lab's workload using a Longhorn volume (drain drills: its pod, PDB and volume move with it).
    builtin({
      group: "apps",
      resource: "statefulsets",
      kind: "StatefulSet",
      namespaced: true,
      shortNames: ["sts"],
      categories: ["all"],
      status: true,
    }),
    // Longhorn guards its instance managers with PDBs; drain's evictions must meet them.
    builtin({
      group: "policy",
      resource: "poddisruptionbudgets",
      kind: "PodDisruptionBudget",
      namespaced: true,
      shortNames: ["pdb"],
      status: true,
    }),
    builtin({
      group: "apiextensions.k8s.io",
      resource: "customresourcedefinitions",
      kind: "CustomResourceDefinition",
      namespaced: false,
      shortNames: ["crd", "crds"],
      categories: ["api-extensions"],
      status: true,
      generation: true,
    }),
  ];
}
