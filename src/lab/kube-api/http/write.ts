import { EVICTION_SUCCESS } from "../api/eviction.js";
import { methodNotAllowed } from "../status.js";
import type { ResourceType } from "../types.js";
import { parseObjectBody, readBody } from "./body.js";
import { type ApiContext, type ApiRequest, isDryRun, warningHeaders, writeOptionsOf } from "./context.js";
import { sendJson } from "./respond.js";

/** `POST …/<plural>`: create; 201 with the stored object. */
export async function handleCreate(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string | undefined,
): Promise<void> {
  if (type.namespaced && namespace === undefined) throw methodNotAllowed("POST");
  const options = writeOptionsOf(request, undefined, "CreateOptions");
  const body = parseObjectBody(await readBody(request.req), request.contentType);
  sendJson(request.res, 201, context.api.create(type, namespace, body, options), undefined, warningHeaders(request));
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
  const options = writeOptionsOf(request, subresource, "UpdateOptions");
  const body = parseObjectBody(await readBody(request.req), request.contentType);
  sendJson(request.res, 200, context.api.update(type, namespace, name, body, options), undefined, warningHeaders(request));
}

/** `POST …/pods/<name>/eviction`: 201 with a Success Status, or 429 when a disruption budget says no. */
export async function handleEviction(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string,
  name: string,
): Promise<void> {
  const dryRun = isDryRun(request);
  const body = parseObjectBody(await readBody(request.req), request.contentType);
  context.api.evict(type, namespace, name, body, { dryRun });
  sendJson(request.res, 201, EVICTION_SUCCESS);
}
