/**
 * metadata.managedFields decoded into per-manager field sets and encoded back, the way the real
 * API server's field manager keeps them (identifiers, system-field stripping, entry order).
 */

import type { ManagedFieldsEntry } from "../types.js";
import { type FieldPath, fieldElement } from "./field-path.js";
import { FieldSet } from "./field-set.js";
import { isObject } from "./json-value.js";

/** Who wrote a set of fields, and how. */
export interface Manager {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource?: string;
  time: string;
}

/** One decoded managedFields entry. */
export interface Managed {
  manager: Manager;
  fields: FieldSet;
}

/** Entries by manager identifier. */
export type ManagedByManager = Map<string, Managed>;

/**
 * The real manager identifier: the entry without time and fields, as JSON. An Update entry is per
 * apiVersion, an Apply entry is not (a manager keeps one apply set across versions).
 */
export function managerId(m: Omit<Manager, "time">): string {
  return JSON.stringify({
    manager: m.manager,
    operation: m.operation,
    ...(m.operation === "Update" ? { apiVersion: m.apiVersion } : {}),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  });
}

/** A manager as conflict messages name it: `"kubectl-edit" using v1`, `"flux" with subresource "status"`. */
export function describeManager(m: Omit<Manager, "time">): string {
  let text = JSON.stringify(m.manager);
  if (m.subresource) text += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === "Update") text += ` using ${m.apiVersion}`;
  return text;
}

/** Fields nobody owns: identity and server bookkeeping (the real stripMeta set). */
const SYSTEM_FIELDS: FieldPath[] = [
  ["apiVersion"],
  ["kind"],
  ["metadata"],
  ...["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"].map(
    (name) => ["metadata", name],
  ),
].map((path) => path.map(fieldElement));

const SYSTEM = FieldSet.of(SYSTEM_FIELDS);

/** The fields a manager may own: `fields` without identity and server bookkeeping. */
export function withoutSystemFields(fields: FieldSet): FieldSet {
  return fields.difference(SYSTEM);
}

/** Decodes managedFields; malformed entries are skipped, duplicates merged. */
export function decodeManagedFields(entries: unknown): ManagedByManager {
  const managed: ManagedByManager = new Map();
  if (!Array.isArray(entries)) return managed;
  for (const entry of entries) {
    if (!isObject(entry) || typeof entry.manager !== "string") continue;
    if (entry.operation !== "Apply" && entry.operation !== "Update") continue;
    const manager: Manager = {
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: typeof entry.apiVersion === "string" ? entry.apiVersion : "",
      time: typeof entry.time === "string" ? entry.time : "",
      ...(typeof entry.subresource === "string" && entry.subresource ? { subresource: entry.subresource } : {}),
    };
    const id = managerId(manager);
    const fields = FieldSet.fromFieldsV1(entry.fieldsV1);
    const previous = managed.get(id);
    managed.set(id, { manager, fields: previous ? previous.fields.union(fields) : fields });
  }
  return managed;
}

/** Encodes entries in the real order (Apply before Update, then by time, manager, apiVersion); empty sets are dropped. */
export function encodeManagedFields(managed: ManagedByManager): ManagedFieldsEntry[] {
  return [...managed.values()]
    .filter((entry) => !entry.fields.isEmpty())
    .sort((p, q) => {
      const a = p.manager;
      const b = q.manager;
      if (a.operation !== b.operation) return a.operation < b.operation ? -1 : 1;
      const ta = Math.floor(Date.parse(a.time) / 1000) || 0;
      const tb = Math.floor(Date.parse(b.time) / 1000) || 0;
      if (ta !== tb) return ta - tb;
      if (a.manager !== b.manager) return a.manager < b.manager ? -1 : 1;
      if (a.apiVersion !== b.apiVersion) return a.apiVersion < b.apiVersion ? -1 : 1;
      return (a.subresource ?? "") < (b.subresource ?? "") ? -1 : (a.subresource ?? "") > (b.subresource ?? "") ? 1 : 0;
    })
    .map(({ manager, fields }) => ({
      manager: manager.manager,
      operation: manager.operation,
      apiVersion: manager.apiVersion,
      time: manager.time,
      fieldsType: "FieldsV1",
      fieldsV1: fields.toFieldsV1(),
      ...(manager.subresource ? { subresource: manager.subresource } : {}),
    }));
}
