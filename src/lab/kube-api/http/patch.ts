import { changesObject } from "../api/changes.js";
import { withoutResetFields } from "../api/create-rules.js";
import { applyCreateDefaults } from "../api/defaults.js";
import { normaliseIncoming } from "../api/normalise.js";
import { jsonPatch, mergePatch, serverSideApply, strategicMergePatch } from "../patch/index.js";
import { deepEqual } from "../patch/json-value.js";
import { crdResourceType } from "../registry/crd.js";
import { isCrdType } from "../registry/names.js";
import { ApiError, badRequest, unsupportedPatchType } from "../status.js";
import { statusError } from "../status-codes.js";
import { rfc3339 } from "../store/objects.js";
import type { KubeObject, ResourceType } from "../types.js";
import { mediaType, parseJsonBody, parseYamlBody, readBody } from "./body.js";
import { checkDepth } from "./body-depth.js";
import { type ApiContext, type ApiRequest, isDryRun } from "./context.js";
import { isTrue } from "./read.js";
import { sendJson } from "./respond.js";
import { writeObject } from "./write.js";

const MERGE = "application/merge-patch+json";
const JSON_PATCH = "application/json-patch+json";
const STRATEGIC = "application/strategic-merge-patch+json";
const APPLY = "application/apply-patch+yaml";
const APPLY_CBOR = "application/apply-patch+cbor";

/** `PATCH …/<plural>/<name>[/status]` in the four patch types kubectl uses. */
export async function handlePatch(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  subresource: "status" | undefined,
): Promise<void> {
  const patchType = mediaType(request.contentType);
  if (patchType === APPLY || patchType === APPLY_CBOR) return handleApply(context, request, type, namespace, name, subresource);
  if (patchType === STRATEGIC && type.custom) throw unsupportedPatchType();
  if (patchType !== MERGE && patchType !== JSON_PATCH && patchType !== STRATEGIC) throw unknownPatchType(type);
  const body = await readBody(request.req);
  const live = context.store.get(type, namespace, name);
  const patch = parseJsonBody(body, "error decoding patch");
  const patched = applyPatch(patchType, live, patch, type);
  const next = keepIdentity(type, live, patched, name);
  if (isCrdType(type)) crdResourceType(next);
  sendJson(request.res, 200, writeObject(context, request, type, live, next, subresource));
}

function applyPatch(patchType: string, live: KubeObject, patch: unknown, type: ResourceType): unknown {
  if (patchType === JSON_PATCH) return jsonPatch(live, patch);
  if (patch === null || typeof patch !== "object" || Array.isArray(patch))
    throw badRequest("error decoding patch: the patch is not a JSON object");
  if (patchType === MERGE) return mergePatch(live, patch);
  return strategicMergePatch(live, patch as Record<string, unknown>, { apiVersion: live.apiVersion, kind: type.kind });
}

/** A patch may not rename, move or retype the object. */
function keepIdentity(type: ResourceType, live: KubeObject, patched: unknown, name: string): KubeObject {
  if (patched === null || typeof patched !== "object" || Array.isArray(patched))
    throw new ApiError(422, "Invalid", `${type.kind} "${name}" is invalid: the patched object is not a JSON object`);
  // Patches can only add so much depth each, but a series of them must not build an object the emulator cannot walk.
  checkDepth(patched, `${type.kind} "${name}" is invalid: the patched object`);
  const object = patched as KubeObject;
  const metadata = object.metadata && typeof object.metadata === "object" ? object.metadata : {};
  if (metadata.name !== undefined && metadata.name !== name)
    throw badRequest(`the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`);
  return normaliseIncoming(
    type,
    { ...object, apiVersion: live.apiVersion, kind: live.kind, metadata: { ...metadata, name } },
    live.metadata.namespace,
    name,
  );
}

/** Server-side apply (`kubectl apply --server-side`): creates when absent; conflicts unless `force=true`. */
async function handleApply(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  subresource: "status" | undefined,
): Promise<void> {
  const manager = request.query.get("fieldManager");
  if (!manager) throw badRequest("PATCH, application/apply-patch+yaml: fieldManager is required for apply requests");
  if (mediaType(request.contentType) === APPLY_CBOR) throw unknownPatchType(type);
  const body = parseYamlBody(await readBody(request.req));
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw badRequest("error decoding YAML: the applied configuration is not an object");
  const applied = withoutResetFields(type, normaliseIncoming(type, body as Record<string, unknown>, namespace, name), subresource);
  const live = context.store.tryGet(type, namespace, name);
  const now = rfc3339(context.clock());
  const result = serverSideApply(live, applied, manager, {
    force: isTrue(request.query.get("force")),
    now,
    ...(subresource ? { subresource } : {}),
  });
  if (isCrdType(type)) crdResourceType(result);
  if (!live) {
    const object = applyCreateDefaults(type, result, now);
    sendJson(request.res, 201, isDryRun(request) ? object : context.store.create(type, namespace, object));
    return;
  }
  // Re-applying the same configuration changes nothing, not even the managedFields timestamps.
  if (!changesObject(type, live, result, subresource) && deepEqual(withoutTimes(live), withoutTimes(result))) {
    sendJson(request.res, 200, live);
    return;
  }
  if (isDryRun(request)) {
    sendJson(request.res, 200, result);
    return;
  }
  sendJson(request.res, 200, context.store.update(type, namespace, name, result, subresource ? { subresource } : undefined));
}

function withoutTimes(object: KubeObject): unknown {
  return (object.metadata.managedFields ?? []).map(({ time: _time, ...entry }) => entry);
}

function unknownPatchType(type: ResourceType): ApiError {
  if (type.custom) return unsupportedPatchType();
  return statusError(
    415,
    "UnsupportedMediaType",
    "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json",
  );
}
