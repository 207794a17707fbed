/**
 * managedFields for writes that are not server-side apply (POST, PUT, JSON/merge/strategic PATCH):
 * the writer becomes owner (operation "Update") of every field it changed, taking it from others.
 */

import type { KubeObject, ManagedFieldsEntry } from "../types.js";
import type { FieldSet } from "./field-set.js";
import { compareObjects } from "./field-walk.js";
import {
  decodeManagedFields,
  encodeManagedFields,
  type ManagedByManager,
  type Manager,
  managerId,
  withoutSystemFields,
} from "./managed-fields.js";
import { transferOwnership } from "./ownership.js";
import { schemaFor } from "./schema.js";

/** An explicit `[]` (or `[{}]`) asks the server to forget all ownership, as on a real server. */
function isReset(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  const [only] = entries;
  return entries.length === 1 && typeof only === "object" && only !== null && Object.keys(only).length === 0;
}

/**
 * The ownership a write starts from: the live object's, unless the written object carries its own
 * managedFields (a main-resource write may replace or reset them; a subresource write may not).
 */
function startingOwnership(before: KubeObject | undefined, after: KubeObject, subresource: string | undefined): ManagedByManager {
  const live = decodeManagedFields(before?.metadata?.managedFields);
  if (subresource) return live;
  const sent = after.metadata?.managedFields;
  if (isReset(sent)) return new Map();
  const decoded = decodeManagedFields(sent);
  return decoded.size ? decoded : live;
}

function withoutManagedFields(object: KubeObject | undefined): KubeObject | undefined {
  if (!object) return undefined;
  const { managedFields: _, ...metadata } = object.metadata ?? {};
  return { ...object, metadata };
}

/**
 * Records that `manager` set the fields that differ between `before` and `after` (operation
 * "Update", as for PUT/POST/non-apply PATCH), moving ownership away from other managers for those
 * fields and forgetting removed fields; entries left with no fields are dropped. fieldsV1 uses the
 * real encoding. Returns the new managedFields array (the caller stores it).
 */
export function recordUpdate(
  before: KubeObject | undefined,
  after: KubeObject,
  manager: string,
  options: { now: string; subresource?: "status" },
): ManagedFieldsEntry[] {
  const schema = schemaFor(after);
  const self: Manager = {
    manager,
    operation: "Update",
    apiVersion: after.apiVersion,
    time: options.now,
    ...(options.subresource ? { subresource: options.subresource } : {}),
  };
  const id = managerId(self);
  const compared = compareObjects(withoutManagedFields(before), withoutManagedFields(after), schema);
  // A status write changes status only (the real server resets the rest), so it owns nothing else.
  const inScope = (fields: FieldSet): FieldSet =>
    options.subresource === "status" ? fields.filter((path) => path[0] === "f:status") : fields;
  const changes = { added: inScope(compared.added), modified: inScope(compared.modified), removed: inScope(compared.removed) };
  const { managed } = transferOwnership(startingOwnership(before, after, options.subresource), changes, id);
  const taken = withoutSystemFields(changes.added.union(changes.modified));
  const previous = managed.get(id);
  // Only a write that took fields refreshes the writer's entry (and its time).
  if (!taken.isEmpty()) managed.set(id, { manager: self, fields: previous ? previous.fields.union(taken) : taken });
  return encodeManagedFields(managed);
}
