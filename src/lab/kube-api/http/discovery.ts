import { createHash } from "node:crypto";
import {
  aggregatedContentType,
  aggregatedDiscovery,
  negotiateDiscovery,
  plainCoreVersions,
  plainGroupList,
  plainResourceList,
} from "../discovery/aggregated.js";
import { openapiV3GroupVersion, openapiV3Root } from "../discovery/openapi.js";
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_ANSWER, openapiV2Json, openapiV2Protobuf } from "../discovery/openapi-v2.js";
import { versionInfo } from "../discovery/version.js";
import { pathNotFound } from "../status-codes.js";
import type { ApiContext, ApiRequest } from "./context.js";
import { sendJson, sendText } from "./respond.js";

/** `GET /version`. */
export function handleVersion(request: ApiRequest): void {
  sendJson(request.res, 200, versionInfo());
}

/** `/healthz`, `/livez`, `/readyz` and their sub-checks. */
export function handleHealth(request: ApiRequest): void {
  sendText(request.res, 200, "ok");
}

/** `GET /api` and `GET /apis`: aggregated (v2 or v2beta1, by Accept) or plain discovery. */
export function handleDiscovery(context: ApiContext, request: ApiRequest, which: "core" | "apis"): void {
  const negotiated = negotiateDiscovery(request.accept || undefined);
  if (negotiated === "plain") {
    const body = which === "core" ? plainCoreVersions() : plainGroupList(context.registry);
    sendJson(request.res, 200, body, "application/json", { Vary: "Accept" });
    return;
  }
  const body = aggregatedDiscovery(context.registry, which, negotiated);
  const etag = `"${createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 32)}"`;
  const headers = { Vary: "Accept", ETag: etag };
  if (request.req.headers["if-none-match"] === etag) {
    request.res.writeHead(304, headers);
    request.res.end();
    return;
  }
  sendJson(request.res, 200, body, aggregatedContentType(negotiated), headers);
}

/** `GET /apis/<group>`: the APIGroup. */
export function handleGroup(context: ApiContext, request: ApiRequest, group: string): void {
  const found = context.registry.groups().find((g) => g.name === group);
  if (!found) throw pathNotFound();
  const versions = found.versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  sendJson(request.res, 200, {
    kind: "APIGroup",
    apiVersion: "v1",
    name: group,
    versions,
    preferredVersion: { groupVersion: `${group}/${found.preferred}`, version: found.preferred },
  });
}

/** `GET /api/v1`, `GET /apis/<group>/<version>`: the APIResourceList. */
export function handleGroupVersion(context: ApiContext, request: ApiRequest, group: string, version: string): void {
  const body = plainResourceList(context.registry, group, version);
  if (!body) throw pathNotFound();
  sendJson(request.res, 200, body);
}

/** `GET /openapi/v3` and `GET /openapi/v3/<gv>`. */
export function handleOpenapi(context: ApiContext, request: ApiRequest, groupVersionPath?: string): void {
  if (groupVersionPath === undefined) {
    sendJson(request.res, 200, openapiV3Root(context.registry));
    return;
  }
  const body = openapiV3GroupVersion(context.registry, groupVersionPath);
  if (!body) throw pathNotFound();
  // The hash in the URL pins the content, as on the real server.
  const immutable: Record<string, string> = request.query.has("hash") ? { "Cache-Control": "public, immutable" } : {};
  sendJson(request.res, 200, body, "application/json", immutable);
}

/** `GET /openapi/v2`: protobuf when asked for (kubectl 1.27/1.28 ask for nothing else), else JSON. */
export function handleOpenapiV2(context: ApiContext, request: ApiRequest): void {
  if (!request.accept.includes(OPENAPI_V2_PROTOBUF) && !request.accept.includes(OPENAPI_V2_PROTOBUF_ANSWER)) {
    sendJson(request.res, 200, openapiV2Json(context.registry));
    return;
  }
  const body = openapiV2Protobuf(context.registry);
  request.res.writeHead(200, {
    "Content-Type": OPENAPI_V2_PROTOBUF_ANSWER,
    "Content-Length": body.length,
    "Cache-Control": "no-cache, private",
  });
  request.res.end(body);
}
