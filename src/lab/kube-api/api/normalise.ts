import { apiVersionOf } from "../registry/names.js";
import { badRequest } from "../status.js";
import type { KubeObject, ObjectMeta, ResourceType } from "../types.js";
import { validateObjectMeta } from "./validate-meta.js";

/**
 * Checks an object sent to a resource URL and normalises it: apiVersion/kind must name this type
 * (any served version; stored as the storage version), namespace must agree with the URL, name
 * with the URL when it has one, and the metadata must pass the real server's checks. Messages are the real server's.
 */
export function normaliseIncoming(
  type: ResourceType,
  body: Record<string, unknown>,
  namespace: string | undefined,
  name?: string,
): KubeObject {
  const apiVersion = body.apiVersion === undefined ? apiVersionOf(type) : String(body.apiVersion);
  const served = type.versions.map((v) => apiVersionOf(type, v));
  if (!served.includes(apiVersion))
    throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${apiVersionOf(type)})`);
  const kind = body.kind === undefined ? type.kind : String(body.kind);
  if (kind !== type.kind) throw badRequest(`the kind in the data (${kind}) does not match the expected kind (${type.kind})`);
  const rawMeta = body.metadata ?? {};
  if (typeof rawMeta !== "object" || rawMeta === null || Array.isArray(rawMeta))
    throw badRequest("metadata: Invalid value: the metadata must be an object");
  const metadata = { ...(rawMeta as ObjectMeta) };
  if (type.namespaced) {
    if (metadata.namespace !== undefined && metadata.namespace !== "" && metadata.namespace !== namespace)
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    if (namespace !== undefined) metadata.namespace = namespace;
  } else {
    delete metadata.namespace;
  }
  if (name !== undefined) {
    if (metadata.name !== undefined && metadata.name !== name)
      throw badRequest(`the name of the object (${metadata.name}) does not match the name on the URL (${name})`);
    metadata.name = name;
  }
  dropEmpty(metadata);
  validateObjectMeta(type, metadata);
  return { ...body, apiVersion: apiVersionOf(type), kind, metadata };
}

/** The real server stores ObjectMeta typed, so empty labels, annotations and lists vanish (`label x-` leaves no `labels: {}`). */
function dropEmpty(metadata: ObjectMeta): void {
  for (const key of ["labels", "annotations", "finalizers", "ownerReferences", "managedFields"] as const) {
    const value = metadata[key];
    if (value === null || (Array.isArray(value) ? value.length === 0 : typeof value === "object" && Object.keys(value).length === 0))
      delete metadata[key];
  }
}
