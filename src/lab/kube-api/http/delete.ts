import type { DeleteRequestOptions } from "../api/options.js";
import { apiVersionOf } from "../registry/names.js";
import { badRequest, methodNotAllowed } from "../status.js";
import type { ResourceType } from "../types.js";
import { mediaType, parseJsonBody, readBody } from "./body.js";
import { decodeProtobufObject, isProtobuf } from "./body-protobuf.js";
import { type ApiContext, type ApiRequest, isDryRun } from "./context.js";
import { filterOf } from "./read.js";
import { sendJson } from "./respond.js";

async function deleteOptionsOf(request: ApiRequest): Promise<DeleteRequestOptions> {
  const raw = await readBody(request.req);
  const body =
    raw.toString("utf8").trim() === ""
      ? {}
      : isProtobuf(mediaType(request.contentType))
        ? decodeProtobufObject(raw)
        : parseJsonBody(raw, "couldn't decode DeleteOptions; json parse error");
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw badRequest("DeleteOptions must be a JSON object");
  const options = body as Record<string, unknown>;
  const grace = request.query.get("gracePeriodSeconds") ?? options.gracePeriodSeconds;
  const policy = request.query.get("propagationPolicy") ?? options.propagationPolicy;
  const out: DeleteRequestOptions = {};
  if (grace !== undefined && grace !== null) {
    const n = Number(grace);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid gracePeriodSeconds: ${JSON.stringify(grace)}`);
    out.gracePeriodSeconds = n;
  }
  if (policy !== undefined && policy !== null) {
    if (!["Background", "Foreground", "Orphan"].includes(String(policy)))
      throw badRequest(`propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`);
    out.propagationPolicy = String(policy);
  }
  if (options.preconditions && typeof options.preconditions === "object")
    out.preconditions = options.preconditions as DeleteRequestOptions["preconditions"];
  if (isDryRun(request, "DeleteOptions") || (Array.isArray(options.dryRun) && options.dryRun.includes("All"))) out.dryRun = true;
  return out;
}

/** Registries that set ReturnDeletedObject (pods, serviceaccounts, storageclasses; namespaces answer with themselves). */
const RETURNS_DELETED_OBJECT = new Set(["/pods", "/serviceaccounts", "/namespaces", "storage.k8s.io/storageclasses"]);

/**
 * `DELETE …/<plural>/<name>`: the object while finalizers or a grace period keep it; once gone, a
 * Success Status naming it (the Python client and client-node read a V1Status; kubectl waits on its
 * details.uid), except where the real registry returns the deleted object.
 */
export async function handleDelete(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
): Promise<void> {
  const options = await deleteOptionsOf(request);
  const result = context.api.delete(type, namespace, name, options);
  const kept = options.dryRun
    ? (result.metadata.finalizers ?? []).length > 0
    : context.store.tryGet(type, namespace, name)?.metadata.uid === result.metadata.uid;
  if (kept || RETURNS_DELETED_OBJECT.has(`${type.group}/${type.resource}`)) return sendJson(request.res, 200, result);
  sendJson(request.res, 200, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { name, group: type.group, kind: type.resource, uid: result.metadata.uid },
  });
}

/** `DELETE …/<plural>` (deletecollection): deletes what the selectors match; 200 with the List of them. */
export async function handleDeleteCollection(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string | undefined,
): Promise<void> {
  if (!type.verbs.includes("deletecollection")) throw methodNotAllowed(request.method);
  const options = await deleteOptionsOf(request);
  const deleted = context.api.deleteCollection(type, namespace, filterOf(request, type), options);
  sendJson(request.res, 200, {
    apiVersion: apiVersionOf(type),
    kind: type.listKind,
    metadata: { resourceVersion: context.store.resourceVersion() },
    items: deleted,
  });
}
