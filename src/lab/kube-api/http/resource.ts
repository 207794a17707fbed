import { methodNotAllowed } from "../status.js";
import { pathNotFound } from "../status-codes.js";
import type { ApiContext, ApiRequest } from "./context.js";
import { handleDelete, handleDeleteCollection } from "./delete.js";
import { handlePatch } from "./patch.js";
import { handleGet, handleList, handleWatch, isTrue } from "./read.js";
import type { ResourcePath } from "./router.js";
import { handleCreate, handleEviction, handleUpdate } from "./write.js";

/** Dispatches a resource URL by method: get/list/watch, create, update, patch, delete, deletecollection. */
export async function handleResource(context: ApiContext, request: ApiRequest, path: ResourcePath): Promise<void> {
  const type = context.registry.lookup(path.group, path.version, path.resource);
  // Unknown resource, or a namespaced URL for a cluster-scoped type: the real server has no such route.
  if (!type || (path.namespace !== undefined && !type.namespaced)) throw pathNotFound();
  const { namespace, name } = path;
  const served =
    (path.subresource === "status" && type.subresources.status) || (path.subresource === "eviction" && type.subresources.eviction);
  if (path.subresource !== undefined && !served) throw pathNotFound();
  const subresource = path.subresource === "status" ? "status" : undefined;
  // A namespaced object is only addressable inside its namespace.
  if (name !== undefined && type.namespaced && namespace === undefined) throw pathNotFound();
  const watch = isTrue(request.query.get("watch"));
  if (path.subresource === "eviction") {
    if (request.method !== "POST" || name === undefined || namespace === undefined) throw methodNotAllowed(request.method);
    return handleEviction(context, request, type, namespace, name);
  }
  switch (request.method) {
    case "GET":
      if (name === undefined) return watch ? handleWatch(context, request, type, namespace) : handleList(context, request, type, namespace);
      if (watch) return handleWatch(context, request, type, namespace, name);
      return handleGet(context, request, type, namespace, name);
    case "POST":
      if (name !== undefined) throw methodNotAllowed(request.method);
      return handleCreate(context, request, type, namespace);
    case "PUT":
      if (name === undefined) throw methodNotAllowed(request.method);
      return handleUpdate(context, request, type, namespace, name, subresource);
    case "PATCH":
      if (name === undefined) throw methodNotAllowed(request.method);
      return handlePatch(context, request, type, namespace, name, subresource);
    case "DELETE":
      if (subresource) throw methodNotAllowed(request.method);
      if (name === undefined) return handleDeleteCollection(context, request, type, namespace);
      return handleDelete(context, request, type, namespace, name);
    default:
      throw methodNotAllowed(request.method);
  }
}
