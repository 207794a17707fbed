/** What an update writes: the caller's object with server-owned fields and subresource rules applied. */

import { clone } from "../patch/json-value.js";
import { apiVersionOf, groupKind } from "../registry/names.js";
import { ApiError, badRequest, invalid } from "../status.js";
import type { KubeObject, ResourceType } from "../types.js";
import { specChanged } from "./objects.js";

/** The fields a client cannot set through an update; they are kept from the stored object. */
const serverOwned = ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "name", "namespace"] as const;

/**
 * Builds the next state of `stored` from the caller's `given` object (which is not modified).
 * `resourceVersion` is the stored one; the caller decides whether anything changed.
 */
export function nextForUpdate(type: ResourceType, stored: KubeObject, given: KubeObject, subresource: "status" | undefined): KubeObject {
  if (subresource === "status" && !type.subresources.status) {
    // The real server has no such route: the same 404 as any unknown URL.
    throw new ApiError(404, "NotFound", "the server could not find the requested resource");
  }
  const next = subresource === "status" ? statusOnly(stored, given) : withoutStatusChange(type, stored, given);
  next.apiVersion ||= apiVersionOf(type);
  next.kind ||= type.kind;
  for (const field of serverOwned) {
    const kept = stored.metadata[field];
    if (kept === undefined) delete next.metadata[field];
    else Object.assign(next.metadata, { [field]: kept });
  }
  next.metadata.resourceVersion = stored.metadata.resourceVersion;
  const generation = stored.metadata.generation ?? 1;
  if (type.withoutGeneration) delete next.metadata.generation;
  else next.metadata.generation = specChanged(stored, next, type.subresources.status) ? generation + 1 : generation;
  if (stored.metadata.deletionTimestamp) refuseNewFinalizers(type, stored, next);
  return next;
}

/** Rejects a name or namespace in the body that differs from the request's, with the real server's words. */
export function checkIdentity(type: ResourceType, namespace: string | undefined, name: string, given: KubeObject): void {
  const givenName = given.metadata?.name;
  if (givenName !== undefined && givenName !== name) {
    throw badRequest(`the name of the object (${givenName}) does not match the name on the URL (${name})`);
  }
  const givenNamespace = given.metadata?.namespace;
  if (type.namespaced && givenNamespace && namespace !== undefined && givenNamespace !== namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
}

// A status update takes only status (and the managedFields the HTTP layer computed for it), like the real server.
function statusOnly(stored: KubeObject, given: KubeObject): KubeObject {
  const next = clone(stored);
  if (given.status === undefined) delete next.status;
  else next.status = clone(given.status);
  if (given.metadata?.managedFields === undefined) delete next.metadata.managedFields;
  else next.metadata.managedFields = clone(given.metadata.managedFields);
  return next;
}

// With a status subresource, the main resource cannot change status.
function withoutStatusChange(type: ResourceType, stored: KubeObject, given: KubeObject): KubeObject {
  const next = clone(given);
  next.metadata = next.metadata ? next.metadata : {};
  if (type.subresources.status) {
    if (stored.status === undefined) delete next.status;
    else next.status = clone(stored.status);
  }
  return next;
}

function refuseNewFinalizers(type: ResourceType, stored: KubeObject, next: KubeObject): void {
  const before = new Set(stored.metadata.finalizers ?? []);
  const added = (next.metadata.finalizers ?? []).filter((finalizer) => !before.has(finalizer));
  if (added.length === 0) return;
  throw invalid(groupKind(type), stored.metadata.name ?? "", [
    {
      reason: "FieldValueForbidden",
      field: "metadata.finalizers",
      message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(", ")}}`,
    },
  ]);
}
