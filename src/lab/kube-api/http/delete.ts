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

/** `DELETE …/<plural>/<name>`: 200 with the object, removed or (finalizers, grace) marked with deletionTimestamp. */
export async function handleDelete(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
): Promise<void> {
  const options = await deleteOptionsOf(request);
  sendJson(request.res, 200, context.api.delete(type, namespace, name, options));
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
