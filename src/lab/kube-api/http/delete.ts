import { apiVersionOf } from "../registry/names.js";
import { badRequest, conflict } from "../status.js";
import type { KubeObject, ResourceType } from "../types.js";
import { mediaType, parseJsonBody, readBody } from "./body.js";
import { decodeProtobufObject, isProtobuf } from "./body-protobuf.js";
import { type ApiContext, type ApiRequest, isDryRun } from "./context.js";
import { filterOf } from "./read.js";
import { sendJson } from "./respond.js";

/** The DeleteOptions the emulator honours, from the body and the query. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  /** `dryRun=All` in the query or `"dryRun": ["All"]` in the body (kubectl sends the latter). */
  dryRun?: boolean;
}

async function deleteOptionsOf(request: ApiRequest): Promise<DeleteOptions> {
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
  const out: DeleteOptions = {};
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
    out.preconditions = options.preconditions as DeleteOptions["preconditions"];
  if (isDryRun(request) || (Array.isArray(options.dryRun) && options.dryRun.includes("All"))) out.dryRun = true;
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
  if (options.dryRun) {
    const object = context.store.get(type, namespace, name);
    const { uid, resourceVersion } = options.preconditions ?? {};
    if ((uid && uid !== object.metadata.uid) || (resourceVersion && resourceVersion !== object.metadata.resourceVersion))
      throw conflict(type, name);
    sendJson(request.res, 200, object);
    return;
  }
  const { object } = context.store.delete(type, namespace, name, {
    ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
    ...(options.preconditions ? { preconditions: options.preconditions } : {}),
  });
  sendJson(request.res, 200, object);
}

/** `DELETE …/<plural>` (deletecollection): deletes what the selectors match; 200 with the List of them. */
export async function handleDeleteCollection(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string | undefined,
): Promise<void> {
  const options = await deleteOptionsOf(request);
  const { items } = context.store.list(type, namespace, filterOf(request, type));
  const deleted: KubeObject[] = [];
  for (const item of items) {
    if (options.dryRun) {
      deleted.push(item);
      continue;
    }
    const result = context.store.delete(type, item.metadata.namespace, item.metadata.name as string, {
      ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
    });
    deleted.push(result.object);
  }
  sendJson(request.res, 200, {
    apiVersion: apiVersionOf(type),
    kind: type.listKind,
    metadata: { resourceVersion: context.store.resourceVersion() },
    items: deleted,
  });
}
