import { toTable } from "../printers/table.js";
import { apiVersionOf } from "../registry/names.js";
import { parseFieldSelector, parseLabelSelector } from "../selectors/index.js";
import { badRequest } from "../status.js";
import type { ListFilter } from "../store/store.js";
import type { KubeObject, ResourceType } from "../types.js";
import type { ApiContext, ApiRequest } from "./context.js";
import { listReadOf } from "./list-read.js";
import { paginate, parseLimit } from "./pagination.js";
import { sendJson } from "./respond.js";
import { parseTimeoutSeconds, streamWatch } from "./watch-stream.js";

/** True when the client asks for server-side printing (`kubectl get`). */
export function wantsTable(accept: string): boolean {
  return accept.split(",").some((part) => /;\s*as=Table/.test(part));
}

function includeObjectOf(request: ApiRequest): "None" | "Metadata" | "Object" {
  const value = request.query.get("includeObject") ?? "Metadata";
  if (value !== "None" && value !== "Metadata" && value !== "Object")
    throw badRequest(`invalid includeObject value: ${JSON.stringify(value)}`);
  return value;
}

/** labelSelector and fieldSelector of a list or watch, plus an exact name when the URL names one. */
export function filterOf(request: ApiRequest, type: ResourceType, name?: string): ListFilter {
  const labelSelector = request.query.get("labelSelector");
  const fieldSelector = request.query.get("fieldSelector");
  const fields = fieldSelector ? parseFieldSelector(fieldSelector, type.fieldSelectors, { custom: type.custom }) : undefined;
  return {
    ...(labelSelector ? { labels: parseLabelSelector(labelSelector) } : {}),
    ...(fields || name !== undefined
      ? { fields: (o: KubeObject) => (name === undefined || o.metadata.name === name) && (fields ? fields(o) : true) }
      : {}),
  };
}

/** `GET …/<plural>/<name>[/status]`: the object, or a one-row Table. */
export function handleGet(context: ApiContext, request: ApiRequest, type: ResourceType, namespace: string | undefined, name: string): void {
  const object = context.store.get(type, namespace, name);
  if (wantsTable(request.accept)) {
    sendJson(request.res, 200, toTable(type, [object], { includeObject: includeObjectOf(request), single: true }));
    return;
  }
  sendJson(request.res, 200, object);
}

/** `GET …/<plural>`: a List or a Table, a page at a time when `limit` asks for it, read at the revision the query names. */
export function handleList(context: ApiContext, request: ApiRequest, type: ResourceType, namespace: string | undefined): void {
  const query = {
    resourceVersion: request.query.get("resourceVersion") ?? undefined,
    resourceVersionMatch: request.query.get("resourceVersionMatch") ?? undefined,
    limit: parseLimit(request.query.get("limit")),
    continue: request.query.get("continue") ?? undefined,
  };
  context.store.checkResourceVersion(query.resourceVersion);
  const read = listReadOf(query, context.store.oldestResourceVersion());
  const filter = filterOf(request, type);
  const list =
    read.at === "revision"
      ? context.store.listAt(type, namespace, read.resourceVersion, filter)
      : context.store.list(type, namespace, filter);
  const { resourceVersion } = list;
  const page = paginate(list.items, resourceVersion, query.limit, read.start);
  const paging = {
    ...(page.continue ? { continue: page.continue } : {}),
    ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
  };
  if (wantsTable(request.accept)) {
    const options = { listResourceVersion: resourceVersion, includeObject: includeObjectOf(request), ...paging };
    sendJson(request.res, 200, toTable(type, page.items, options));
    return;
  }
  sendJson(request.res, 200, {
    apiVersion: apiVersionOf(type),
    kind: type.listKind,
    metadata: { resourceVersion, ...paging },
    items: page.items,
  });
}

/** `GET …/<plural>?watch=true` (or a named object with `?watch=1`, the old form). */
export function handleWatch(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string | undefined,
  name?: string,
): void {
  const filter = filterOf(request, type, name);
  const timeoutSeconds = parseTimeoutSeconds(request.query.get("timeoutSeconds"));
  const sendInitialEvents = isTrue(request.query.get("sendInitialEvents"));
  // Unset means "current state, then changes": the real server starts with ADDED for every object, as for "0".
  const resourceVersion = request.query.get("resourceVersion") || (sendInitialEvents ? "" : "0");
  // Malformed (400) and future (504) versions fail before the stream starts; too old (410) arrives in it.
  context.store.checkResourceVersion(resourceVersion);
  const table = wantsTable(request.accept);
  const includeObject = table ? includeObjectOf(request) : "Metadata";
  streamWatch(context, request, {
    type,
    namespace,
    filter,
    resourceVersion,
    allowBookmarks: isTrue(request.query.get("allowWatchBookmarks")),
    ...(sendInitialEvents ? { sendInitialEvents } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(table ? { asTable: (object: KubeObject) => toTable(type, [object], { includeObject, single: true }) } : {}),
  });
}

/** Query booleans as the apiserver reads them. */
export function isTrue(value: string | null): boolean {
  return value === "true" || value === "1" || value === "True";
}
