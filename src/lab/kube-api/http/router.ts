/** Where a request goes, decided from its path alone (pure; the handlers check the registry). */
export type Route =
  | { kind: "version" }
  | { kind: "health" }
  | { kind: "discovery"; which: "core" | "apis" }
  | { kind: "group"; group: string }
  | { kind: "group-version"; group: string; version: string }
  | { kind: "openapi-v3-root" }
  | { kind: "openapi-v3"; groupVersionPath: string }
  | { kind: "openapi-v2" }
  | { kind: "control"; path: string[] }
  | ({ kind: "resource" } & ResourcePath)
  | { kind: "unknown" };

/** A resource URL taken apart: `/apis/<group>/<version>/namespaces/<ns>/<resource>/<name>/<subresource>`. */
export interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

/** Prefix of the emulator's own control interface; no Kubernetes client uses it. */
export const CONTROL_PREFIX = "/recover-lab/v1";

/** Routes a URL path (already without the query). */
export function route(pathname: string): Route {
  if (pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`))
    return { kind: "control", path: segments(pathname.slice(CONTROL_PREFIX.length)) ?? ["?"] };
  const parts = segments(pathname);
  if (parts === undefined) return { kind: "unknown" };
  const [first, ...rest] = parts;
  switch (first) {
    case "version":
      return rest.length === 0 ? { kind: "version" } : { kind: "unknown" };
    case "healthz":
    case "livez":
    case "readyz":
      return { kind: "health" };
    case "openapi":
      return openapiRoute(rest);
    case "api":
      if (rest.length === 0) return { kind: "discovery", which: "core" };
      return groupVersionRoute("", rest[0] as string, rest.slice(1));
    case "apis":
      if (rest.length === 0) return { kind: "discovery", which: "apis" };
      if (rest.length === 1) return { kind: "group", group: rest[0] as string };
      return groupVersionRoute(rest[0] as string, rest[1] as string, rest.slice(2));
    default:
      return { kind: "unknown" };
  }
}

function openapiRoute(rest: string[]): Route {
  if (rest[0] === "v2" && rest.length === 1) return { kind: "openapi-v2" };
  if (rest[0] !== "v3") return { kind: "unknown" };
  if (rest.length === 1) return { kind: "openapi-v3-root" };
  return { kind: "openapi-v3", groupVersionPath: rest.slice(1).join("/") };
}

function groupVersionRoute(group: string, version: string, rest: string[]): Route {
  if (rest.length === 0) return { kind: "group-version", group, version };
  const base = { kind: "resource" as const, group, version };
  // namespaces/<ns>/<resource>[/<name>[/<sub>]]; but namespaces/<name>[/status|finalize] is the namespace itself.
  if (rest[0] === "namespaces" && rest.length >= 3 && !(group === "" && rest.length === 3 && isNamespaceSubresource(rest[2]))) {
    const [, namespace, resource, name, subresource, ...extra] = rest;
    if (extra.length > 0) return { kind: "unknown" };
    return withOptional({ ...base, namespace: namespace as string, resource: resource as string }, name, subresource);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length > 0) return { kind: "unknown" };
  return withOptional({ ...base, resource: resource as string }, name, subresource);
}

function isNamespaceSubresource(segment: string | undefined): boolean {
  return segment === "status" || segment === "finalize";
}

function withOptional<T extends object>(route: T, name: string | undefined, subresource: string | undefined): T {
  return { ...route, ...(name !== undefined ? { name } : {}), ...(subresource !== undefined ? { subresource } : {}) };
}

/** Non-empty path segments, percent-decoded; undefined when a segment cannot be decoded. */
function segments(pathname: string): string[] | undefined {
  const out: string[] = [];
  for (const raw of pathname.split("/")) {
    if (raw === "") continue;
    try {
      out.push(decodeURIComponent(raw));
    } catch {
      return undefined;
    }
  }
  return out;
}
