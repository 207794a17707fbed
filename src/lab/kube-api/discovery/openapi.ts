/**
 * The OpenAPI v3 the emulator publishes. It is deliberately schema-less: paths whose PATCH
 * operations carry x-kubernetes-group-version-kind and a `fieldValidation` query parameter
 * tell kubectl the server validates fields itself, so `kubectl apply` (client-side and
 * --server-side) sends `fieldValidation=Strict` and leaves validation to the server.
 */
import { createHash } from "node:crypto";
import type { Registry } from "../registry/registry.js";
import type { ResourceType } from "../types.js";
import { EMULATED_GIT_VERSION } from "./version.js";

type Operation = Record<string, unknown>;
type PathItem = Record<string, unknown>;

const queryParam = (name: string, type = "string") => ({ name, in: "query", schema: { type, uniqueItems: true } });
const pathParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string", uniqueItems: true } });

const WRITE_PARAMS = [queryParam("dryRun"), queryParam("fieldManager"), queryParam("fieldValidation")];
const PATCH_PARAMS = [...WRITE_PARAMS, queryParam("force", "boolean")];
const DELETE_PARAMS = [
  queryParam("dryRun"),
  queryParam("gracePeriodSeconds", "integer"),
  queryParam("propagationPolicy"),
  queryParam("orphanDependents", "boolean"),
];
const LIST_PARAMS = [
  queryParam("allowWatchBookmarks", "boolean"),
  queryParam("continue"),
  queryParam("fieldSelector"),
  queryParam("labelSelector"),
  queryParam("limit", "integer"),
  queryParam("resourceVersion"),
  queryParam("resourceVersionMatch"),
  queryParam("sendInitialEvents", "boolean"),
  queryParam("timeoutSeconds", "integer"),
  queryParam("watch", "boolean"),
];
const PATCH_BODY_TYPES = [
  "application/apply-patch+yaml",
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
];
const OK = { "200": { description: "OK" } };

/** `api/v1` or `apis/<group>/<version>`: how OpenAPI v3 names a group version. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const pascal = (s: string): string =>
  s
    .split(/[.-]/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join("");

function operation(type: ResourceType, version: string, action: string, verb: string, scoped: boolean, params: object[]): Operation {
  const where = type.namespaced && scoped ? "Namespaced" : "";
  const suffix = action === "list" && type.namespaced && !scoped ? "ForAllNamespaces" : "";
  return {
    operationId: `${verb}${pascal(type.group || "core")}${pascal(version)}${where}${type.kind}${suffix}`,
    parameters: params,
    ...(action === "patch"
      ? { requestBody: { content: Object.fromEntries(PATCH_BODY_TYPES.map((t) => [t, { schema: { type: "object" } }])) } }
      : {}),
    responses: OK,
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": { group: type.group, version, kind: type.kind },
  };
}

function resourcePaths(type: ResourceType, version: string): Record<string, PathItem> {
  const prefix = `/${groupVersionPath(type.group, version)}`;
  const collection = type.namespaced ? `${prefix}/namespaces/{namespace}/${type.resource}` : `${prefix}/${type.resource}`;
  const scopeParams = type.namespaced ? [pathParam("namespace")] : [];
  const item = `${collection}/{name}`;
  const op = (action: string, verb: string, params: object[]) => operation(type, version, action, verb, true, params);
  const paths: Record<string, PathItem> = {
    [collection]: {
      parameters: scopeParams,
      get: op("list", "list", LIST_PARAMS),
      post: op("post", "create", WRITE_PARAMS),
      delete: op("deletecollection", "deleteCollection", [...DELETE_PARAMS, ...LIST_PARAMS]),
    },
    [item]: {
      parameters: [pathParam("name"), ...scopeParams],
      get: op("get", "read", []),
      put: op("put", "replace", WRITE_PARAMS),
      patch: op("patch", "patch", PATCH_PARAMS),
      delete: op("delete", "delete", DELETE_PARAMS),
    },
  };
  if (type.subresources.status) {
    paths[`${item}/status`] = {
      parameters: [pathParam("name"), ...scopeParams],
      get: op("get", "read", []),
      put: op("put", "replace", WRITE_PARAMS),
      patch: op("patch", "patch", PATCH_PARAMS),
    };
  }
  if (type.namespaced) {
    paths[`${prefix}/${type.resource}`] = { get: operation(type, version, "list", "list", false, LIST_PARAMS) };
  }
  return paths;
}

function parseGroupVersionPath(path: string): { group: string; version: string } | undefined {
  const clean =
    path
      .split("?")[0]
      ?.replace(/^\/+/, "")
      .replace(/^openapi\/v3\//, "") ?? "";
  const core = /^api\/([^/]+)$/.exec(clean);
  if (core?.[1]) return { group: "", version: core[1] };
  const named = /^apis\/([^/]+)\/([^/]+)$/.exec(clean);
  return named?.[1] && named[2] ? { group: named[1], version: named[2] } : undefined;
}

/**
 * `GET /openapi/v3/<gv path>` (`api/v1`, `apis/longhorn.io/v1beta2`; a leading `/openapi/v3/`
 * and a `?hash=` are ignored): paths per resource, `components.schemas` empty.
 * undefined for a group version nothing is served at.
 */
export function openapiV3GroupVersion(registry: Registry, groupVersionPathText: string): object | undefined {
  const gv = parseGroupVersionPath(groupVersionPathText);
  if (!gv) return undefined;
  const types = registry.servedAt(gv.group, gv.version);
  if (types.length === 0) return undefined;
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: EMULATED_GIT_VERSION },
    paths: Object.assign({}, ...types.map((t) => resourcePaths(t, gv.version))),
    components: { schemas: {} },
  };
}

/** The hash kubectl caches a group version document under: uppercase hex SHA-512 of its JSON, as the real server does. */
export function openapiHash(document: object): string {
  return createHash("sha512").update(JSON.stringify(document)).digest("hex").toUpperCase();
}

/** `GET /openapi/v3`: every served group version with a serverRelativeURL whose hash changes with its document. */
export function openapiV3Root(registry: Registry): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const group of registry.groups()) {
    for (const version of group.versions) {
      const path = groupVersionPath(group.name, version);
      const document = openapiV3GroupVersion(registry, path);
      if (document) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${openapiHash(document)}` };
    }
  }
  return { paths };
}
