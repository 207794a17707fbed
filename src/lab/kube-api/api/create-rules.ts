/**
 * What the real server resets or refuses in an object it is asked to create, beyond validation:
 * a manifest dumped with `kubectl get -o yaml` (status, resourceVersion) must fare as on a real cluster.
 */

import { groupKind, isCrdType } from "../registry/names.js";
import { type ApiError, invalid } from "../status.js";
import { statusError } from "../status-codes.js";
import type { KubeObject, ResourceType } from "../types.js";

/** The apiextensions create strategy drops the status sent for a custom resource with a status subresource. */
export function resetStatusOnCreate(type: ResourceType, object: KubeObject): KubeObject {
  if (!type.custom || !type.subresources.status || object.status === undefined) return object;
  const { status: _dropped, ...rest } = object;
  return rest as KubeObject;
}

/**
 * Server-side apply through the main resource of a type with a status subresource neither sets nor
 * owns status (the real field manager's reset fields), on create and on update alike.
 */
export function withoutResetFields(type: ResourceType, applied: KubeObject, subresource: "status" | undefined): KubeObject {
  if (subresource !== undefined || !type.subresources.status || applied.status === undefined) return applied;
  const { status: _ignored, ...rest } = applied;
  return rest as KubeObject;
}

/**
 * The real storage layer refuses a POST of an object that carries a resourceVersion (other than "0")
 * with a bare 500. kubectl create/apply strip it before they POST, and server-side apply creates
 * through an update, which does not check; dry runs never reach storage.
 */
export function refuseResourceVersionOnCreate(object: KubeObject): void {
  const given = object.metadata.resourceVersion;
  if (typeof given === "string" && /^\d+$/.test(given) && Number(given) !== 0) throw resourceVersionSetOnCreate();
}

function resourceVersionSetOnCreate(): ApiError {
  // No reason: the real server passes the storage error through as an unknown one.
  return statusError(500, "", "resourceVersion should not be set on objects to be created");
}

/**
 * A replace must say which version it replaces where the type does not allow unconditional updates:
 * custom resources and CRDs (the built-ins the lab serves allow them, as on a real server).
 */
export function requireResourceVersionOnUpdate(type: ResourceType, object: KubeObject): void {
  if (!type.custom && !isCrdType(type)) return;
  if (object.metadata.resourceVersion) return;
  throw invalid(groupKind(type), object.metadata.name ?? "", [
    { reason: "FieldValueInvalid", field: "metadata.resourceVersion", message: "Invalid value: 0x0: must be specified for an update" },
  ]);
}
