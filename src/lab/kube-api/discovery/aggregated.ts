/**
 * Aggregated discovery (`GET /api`, `GET /apis` as apidiscovery.k8s.io APIGroupDiscoveryList),
 * generated from the registry. kubectl only believes these when they come back with the
 * aggregated Content-Type, and 1.27–1.29 only ask for v2beta1, so both versions are served.
 */
import type { Registry } from "../registry/registry.js";
import type { ResourceType } from "../types.js";

export { plainCoreVersions, plainGroupList, plainResourceList } from "./plain.js";

/** The aggregated discovery versions kubectl may ask for. */
export type AggregatedVersion = "v2" | "v2beta1";

const DISCOVERY_GROUP = "apidiscovery.k8s.io";
const GROUP_DISCOVERY_LIST = "APIGroupDiscoveryList";
const STATUS_VERBS = ["get", "patch", "update"];
/** kubectl drain looks for this exact subresource kind (with its group and version) before it evicts. */
const EVICTION_KIND = { group: "policy", version: "v1", kind: "Eviction" };

/** The Content-Type to answer with: `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList` (or v2beta1). */
export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=${DISCOVERY_GROUP};v=${version};as=${GROUP_DISCOVERY_LIST}`;
}

/** One media range of an Accept header. */
interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
  order: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(",")
    .map((part, order) => {
      const [type = "", ...rawParams] = part.split(";").map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rawParams) {
        const eq = p.indexOf("=");
        if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
      }
      const q = params.q === undefined ? 1 : Number(params.q);
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((r) => r.type !== "" && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
}

/**
 * Chooses what to answer from the request's Accept header: "v2", "v2beta1" or "plain"
 * (APIVersions/APIGroupList). The first range the emulator can serve wins, in the client's
 * order of preference; protobuf ranges are skipped because only JSON is served.
 */
export function negotiateDiscovery(accept: string | undefined): AggregatedVersion | "plain" {
  if (!accept) return "plain";
  for (const range of parseAccept(accept)) {
    const { g, v, as } = range.params;
    if (g !== undefined || as !== undefined) {
      if (range.type !== "application/json" || g !== DISCOVERY_GROUP || as !== GROUP_DISCOVERY_LIST) continue;
      if (v === "v2" || v === "v2beta1") return v;
      continue;
    }
    if (range.type === "application/json" || range.type === "application/*" || range.type === "*/*") return "plain";
  }
  return "plain";
}

/** GroupVersionKind as discovery spells it; built-ins leave group and version empty, as the real server does. */
function responseKind(type: ResourceType, version: string): { group: string; version: string; kind: string } {
  return type.custom ? { group: type.group, version, kind: type.kind } : { group: "", version: "", kind: type.kind };
}

function subresourcesOf(type: ResourceType, version: string): object[] {
  return [
    ...(type.subresources.eviction ? [{ subresource: "eviction", responseKind: EVICTION_KIND, verbs: ["create"] }] : []),
    ...(type.subresources.status ? [{ subresource: "status", responseKind: responseKind(type, version), verbs: STATUS_VERBS }] : []),
  ];
}

function resourceDiscovery(type: ResourceType, version: string): Record<string, unknown> {
  return {
    resource: type.resource,
    responseKind: responseKind(type, version),
    scope: type.namespaced ? "Namespaced" : "Cluster",
    singularResource: type.singular,
    verbs: type.verbs,
    ...(type.shortNames.length > 0 ? { shortNames: type.shortNames } : {}),
    ...(type.categories.length > 0 ? { categories: type.categories } : {}),
    ...(type.subresources.status || type.subresources.eviction ? { subresources: subresourcesOf(type, version) } : {}),
  };
}

/**
 * Aggregated discovery bodies for `GET /api` (core) and `GET /apis`, in v2 or v2beta1
 * (apidiscovery.k8s.io), shaped as the real server shapes them: groups in priority order,
 * versions preferred first, resources sorted by plural, freshness "Current".
 */
export function aggregatedDiscovery(registry: Registry, which: "core" | "apis", version: AggregatedVersion): object {
  const groups = registry.groups().filter((g) => (which === "core" ? g.name === "" : g.name !== ""));
  return {
    kind: GROUP_DISCOVERY_LIST,
    apiVersion: `${DISCOVERY_GROUP}/${version}`,
    metadata: {},
    items: groups.map((group) => ({
      metadata: { ...(group.name ? { name: group.name } : {}), creationTimestamp: null },
      versions: group.versions.map((v) => ({
        version: v,
        resources: registry.servedAt(group.name, v).map((type) => resourceDiscovery(type, v)),
        freshness: "Current",
      })),
    })),
  };
}
