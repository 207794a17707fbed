/** The object shapes every part of the emulator shares. */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

import type { StructuralSchema } from "./api/structural-schema.js";

/** One API resource as served: a built-in or one version set of a CRD. */
export interface ResourceType {
  /** "" for the core group. */
  group: string;
  /** The version objects are stored and returned in (the CRD's storage version). */
  version: string;
  /** Every served version; all read and write the same objects (no conversion). */
  versions: string[];
  /** Plural, as in URLs: `nodes`. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** `status`; and for pods `eviction` (POST an Eviction, policy/v1, to ask for a PDB-checked delete). */
  subresources: { status: boolean; eviction?: boolean };
  /** Server-side printing; empty means kubectl's default NAME/AGE. */
  printerColumns: PrinterColumn[];
  /** Field selectors accepted beyond metadata.name and metadata.namespace (`spec.nodeName` for pods). */
  fieldSelectors: string[];
  /** Strategic merge patch is refused (415) for custom resources. */
  custom: boolean;
  /** Built-ins whose objects carry no metadata.generation (ConfigMap, Pod, Node…): kubectl wait must not see one. */
  withoutGeneration?: boolean;
  /** Objects kept in another resource's storage, converted on the way in and out (events.k8s.io/v1 Events are core v1 Events). */
  storedAs?: StoredAs;
  /** The structural schema writes are pruned, defaulted and checked against (a CRD's storage version; a few built-ins). */
  schema?: StructuralSchema;
}

/** Where and in which shape a resource's objects are stored when another resource owns the storage. */
export interface StoredAs {
  type: ResourceType;
  toStored(object: KubeObject): KubeObject;
  fromStored(object: KubeObject): KubeObject;
}

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}
