import { changesObject } from "../api/changes.js";
import { refuseResourceVersionOnCreate, resetStatusOnCreate } from "../api/create-rules.js";
import { applyCreateDefaults } from "../api/defaults.js";
import { normaliseIncoming } from "../api/normalise.js";
import { recordUpdate } from "../patch/record-update.js";
import { crdResourceType } from "../registry/crd.js";
import { isCrdType } from "../registry/names.js";
import { alreadyExists, methodNotAllowed, notFound } from "../status.js";
import { rfc3339 } from "../store/objects.js";
import type { KubeObject, ResourceType } from "../types.js";
import { parseObjectBody, readBody } from "./body.js";
import { type ApiContext, type ApiRequest, fieldManagerOf, isDryRun } from "./context.js";
import { sendJson } from "./respond.js";

/** `POST …/<plural>`: create; 201 with the stored object. */
export async function handleCreate(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string | undefined,
): Promise<void> {
  if (type.namespaced && namespace === undefined) throw methodNotAllowed("POST");
  const body = parseObjectBody(await readBody(request.req), request.contentType);
  const now = rfc3339(context.clock());
  const incoming = resetStatusOnCreate(type, normaliseIncoming(type, body, namespace));
  if (isCrdType(type)) crdResourceType(incoming); // throws 422 for an invalid CRD, before defaults read its spec
  let object = applyCreateDefaults(type, incoming, now);
  object.metadata.managedFields = recordUpdate(undefined, object, fieldManagerOf(request), { now });
  if (isDryRun(request)) {
    sendJson(request.res, 201, previewCreate(context, type, namespace, object));
    return;
  }
  refuseResourceVersionOnCreate(object);
  object = context.store.create(type, namespace, object);
  sendJson(request.res, 201, object);
}

/** What a create would store, checked like a real one but not persisted (`dryRun=All`). */
function previewCreate(context: ApiContext, type: ResourceType, namespace: string | undefined, object: KubeObject): KubeObject {
  const name = object.metadata.name;
  if (name && context.store.tryGet(type, namespace, name)) throw alreadyExists(type, name);
  if (type.namespaced && namespace !== undefined) {
    const namespaces = context.registry.lookup("", "v1", "namespaces");
    if (namespaces && !context.store.tryGet(namespaces, undefined, namespace)) throw notFound(namespaces, namespace);
  }
  return {
    ...object,
    metadata: { ...object.metadata, uid: crypto.randomUUID(), creationTimestamp: rfc3339(context.clock()), generation: 1 },
  };
}

/** `PUT …/<plural>/<name>[/status]`: replace; 200 with the stored object. */
export async function handleUpdate(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  subresource: "status" | undefined,
): Promise<void> {
  const body = parseObjectBody(await readBody(request.req), request.contentType);
  const next = normaliseIncoming(type, body, namespace, name);
  const live = context.store.get(type, namespace, name);
  if (isCrdType(type)) crdResourceType(next);
  const result = writeObject(context, request, type, live, next, subresource);
  sendJson(request.res, 200, result);
}

/**
 * Stores `next` over `live` with managedFields brought up to date (unless nothing changes, so a
 * no-op keeps its resourceVersion). Honours dryRun.
 */
export function writeObject(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  live: KubeObject,
  next: KubeObject,
  subresource: "status" | undefined,
): KubeObject {
  const namespace = live.metadata.namespace;
  const name = live.metadata.name as string;
  const object: KubeObject = { ...next, metadata: { ...next.metadata, managedFields: live.metadata.managedFields } };
  if (!object.metadata.managedFields) delete object.metadata.managedFields;
  if (changesObject(type, live, next, subresource)) {
    const now = rfc3339(context.clock());
    object.metadata.managedFields = recordUpdate(live, next, fieldManagerOf(request), { now, ...(subresource ? { subresource } : {}) });
  }
  if (isDryRun(request)) return object;
  return context.store.update(type, namespace, name, object, subresource ? { subresource } : undefined);
}
