import { ApiError, type StatusCause } from "../status.js";
import type { KubeObject } from "../types.js";
import { formatPath } from "./field-path.js";
import { FieldSet } from "./field-set.js";
import { appliedFields, compareObjects } from "./field-walk.js";
import { clone, deepEqual, isObject, type JsonObject } from "./json-value.js";
import {
  decodeManagedFields,
  describeManager,
  encodeManagedFields,
  type ManagedByManager,
  type Manager,
  managerId,
  withoutSystemFields,
} from "./managed-fields.js";
import { type Conflict, transferOwnership } from "./ownership.js";
import { type KindSchema, schemaFor } from "./schema.js";
import { mergeApplied, pruneUnapplied } from "./structured-merge.js";

/** Server-owned metadata that an applied configuration never changes on a live object. */
const SYSTEM_METADATA = ["uid", "resourceVersion", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds"];

/** The manager the real server invents when an object without managedFields is first applied to. */
const BEFORE_FIRST_APPLY = "before-first-apply";

function withoutManagedFields(object: KubeObject): KubeObject {
  const { managedFields: _, ...metadata } = object.metadata ?? {};
  return { ...object, metadata };
}

/** The real 409: `Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .spec.x`. */
export function applyConflict(conflicts: readonly Conflict[]): ApiError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${describeManager(c.manager)}`,
    field: formatPath(c.path),
  }));
  if (conflicts.length === 1) {
    const [only] = conflicts as [Conflict];
    return new ApiError(
      409,
      "Conflict",
      `Apply failed with 1 conflict: conflict with ${describeManager(only.manager)}: ${formatPath(only.path)}`,
      {
        causes,
      },
    );
  }
  const lines: string[] = [];
  let current = "";
  for (const conflict of conflicts) {
    const id = managerId(conflict.manager);
    if (id !== current) lines.push(`conflicts with ${describeManager(conflict.manager)}:`);
    current = id;
    lines.push(`- ${formatPath(conflict.path)}`);
  }
  return new ApiError(409, "Conflict", `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`, { causes });
}

/** A status apply changes and owns status only; the rest of the configuration is ignored (reset, as on a real server). */
function statusOnly(applied: KubeObject): KubeObject {
  const { name, namespace } = applied.metadata ?? {};
  return {
    apiVersion: applied.apiVersion,
    kind: applied.kind,
    metadata: { ...(name !== undefined ? { name } : {}), ...(namespace !== undefined ? { namespace } : {}) },
    ...(applied.status !== undefined ? { status: applied.status } : {}),
  };
}

/** Every field of an object that has no managedFields belongs to "before-first-apply" (as on a real server). */
function beforeFirstApply(live: KubeObject, schema: KindSchema, now: string): ManagedByManager {
  const manager: Manager = { manager: BEFORE_FIRST_APPLY, operation: "Update", apiVersion: live.apiVersion, time: now };
  const changes = compareObjects(undefined, withoutManagedFields(live), schema);
  const fields = withoutSystemFields(changes.added.union(changes.modified));
  return new Map([[managerId(manager), { manager, fields }]]);
}

/**
 * Server-side apply, approximated with per-manager field ownership. `live` undefined means create.
 * Fields the manager applied before but no longer applies are removed unless another manager owns
 * them. Changing a field another manager owns is a 409 Conflict unless `force`, which takes it over.
 * Returns the new object with metadata.managedFields updated (operation "Apply").
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  options: { force: boolean; now: string; subresource?: "status" },
): KubeObject {
  const schema = schemaFor(applied);
  const config = options.subresource === "status" ? statusOnly(applied) : withoutManagedFields(applied);
  const liveBody = live ? withoutManagedFields(live) : undefined;
  let managed = decodeManagedFields(live?.metadata?.managedFields);
  if (live && managed.size === 0) managed = beforeFirstApply(live, schema, options.now);

  const self: Manager = {
    manager,
    operation: "Apply",
    apiVersion: applied.apiVersion,
    time: options.now,
    ...(options.subresource ? { subresource: options.subresource } : {}),
  };
  const id = managerId(self);
  const previous = managed.get(id);
  const fields = withoutSystemFields(appliedFields(config, schema));
  managed.set(id, { manager: self, fields });

  const merged = mergeApplied(liveBody ?? {}, config, schema) as JsonObject;
  if (previous)
    pruneUnapplied(
      merged,
      previous.fields,
      [...managed.values()].map((m) => m.fields),
      schema,
    );
  const result = merged as KubeObject;
  if (liveBody)
    for (const key of SYSTEM_METADATA) if (liveBody.metadata[key] !== undefined) result.metadata[key] = clone(liveBody.metadata[key]);

  const changes = compareObjects(liveBody, result, schema);
  const { managed: owners, conflicts } = transferOwnership(managed, changes, id);
  const allowed = manager === "kubectl" && liveBody ? allowedByLastApplied(liveBody, schema) : FieldSet.empty();
  const blocking = conflicts.filter((c) => !allowed.has(c.path));
  if (blocking.length && !options.force) throw applyConflict(blocking);

  // Re-applying the same configuration keeps the entry's time, as a real no-op apply does.
  if (previous && liveBody && deepEqual(liveBody, result)) owners.set(id, { manager: { ...self, time: previous.manager.time }, fields });
  result.metadata = { ...result.metadata, managedFields: encodeManagedFields(owners) };
  return result;
}

/**
 * The apiserver's lastAppliedManager: `kubectl apply --server-side` over an object that client-side
 * apply manages may take, without a conflict, the fields the last-applied annotation holds and that
 * nobody changed since, so the first server-side apply after client-side ones succeeds (kubectl then
 * migrates the managedFields).
 */
function allowedByLastApplied(live: KubeObject, schema: KindSchema): FieldSet {
  const annotation = live.metadata.annotations?.[LAST_APPLIED];
  if (annotation === undefined) return FieldSet.empty();
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(annotation);
  } catch {
    return FieldSet.empty();
  }
  if (!isObject(lastApplied)) return FieldSet.empty();
  const changedSince = compareObjects(lastApplied, live, schema).modified;
  return appliedFields(lastApplied, schema).difference(changedSince);
}

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
