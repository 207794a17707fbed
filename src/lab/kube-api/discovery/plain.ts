/**
 * Legacy (unaggregated) discovery: `GET /api`, `GET /apis`, `GET /api/v1`, `GET /apis/<g>/<v>`.
 * Clients that do not ask for aggregated discovery walk these instead.
 */
import { createHash } from "node:crypto";
import type { Registry } from "../registry/registry.js";
import type { ResourceType } from "../types.js";

/** The address kubectl is told to reach the server at when nothing better is known. */
const DEFAULT_SERVER_ADDRESS = "127.0.0.1:6443";

/** The hash the real server publishes per resource: sha256 of "group/version/kind" (core: "/v1/Pod"), first 8 bytes, base64. */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash("sha256").update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString("base64");
}

/** `GET /api`: the APIVersions of the core group. */
export function plainCoreVersions(serverAddress: string = DEFAULT_SERVER_ADDRESS): object {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

/** `GET /apis`: every named group with its versions, preferred first. */
export function plainGroupList(registry: Registry): object {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: registry
      .groups()
      .filter((g) => g.name !== "")
      .map((g) => ({
        name: g.name,
        versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${g.name}/${g.preferred}`, version: g.preferred },
      })),
  };
}

function apiResources(type: ResourceType): object[] {
  const main = {
    name: type.resource,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.verbs,
    ...(type.shortNames.length > 0 ? { shortNames: type.shortNames } : {}),
    ...(type.categories.length > 0 ? { categories: type.categories } : {}),
    storageVersionHash: storageVersionHash(type.group, type.version, type.kind),
  };
  const eviction = {
    name: `${type.resource}/eviction`,
    singularName: "",
    namespaced: type.namespaced,
    group: "policy",
    version: "v1",
    kind: "Eviction",
    verbs: ["create"],
  };
  const extra = type.subresources.eviction ? [eviction] : [];
  if (!type.subresources.status) return [main, ...extra];
  const status = {
    name: `${type.resource}/status`,
    singularName: "",
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: ["get", "patch", "update"],
  };
  return [main, ...extra, status];
}

/**
 * `GET /api/v1` and `GET /apis/<g>/<v>`: the APIResourceList, `<plural>/status` entries
 * included; undefined for a group/version nothing is served at.
 */
export function plainResourceList(registry: Registry, group: string, version: string): object | undefined {
  const types = registry.servedAt(group, version);
  if (types.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    // The core list carries no apiVersion on a real server; group lists do.
    ...(group ? { apiVersion: "v1" } : {}),
    groupVersion: group ? `${group}/${version}` : version,
    resources: types.flatMap(apiResources),
  };
}
