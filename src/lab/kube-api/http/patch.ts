import type { PatchType } from "../api/options.js";
import { type ApiError, badRequest, unsupportedPatchType } from "../status.js";
import { statusError } from "../status-codes.js";
import type { ResourceType } from "../types.js";
import { mediaType, parseJsonBody, parseYamlBody, readBody } from "./body.js";
import { type ApiContext, type ApiRequest, warningHeaders, writeOptionsOf } from "./context.js";
import { isTrue } from "./read.js";
import { sendJson } from "./respond.js";

const PATCH_TYPES: Record<string, PatchType> = {
  "application/merge-patch+json": "merge",
  "application/json-patch+json": "json",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
};
const APPLY_CBOR = "application/apply-patch+cbor";

/** `PATCH …/<plural>/<name>[/status]` in the four patch types kubectl uses. */
export async function handlePatch(
  context: ApiContext,
  request: ApiRequest,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  subresource: "status" | undefined,
): Promise<void> {
  const media = mediaType(request.contentType);
  const patchType = PATCH_TYPES[media];
  if (media === APPLY_CBOR && !request.query.get("fieldManager"))
    throw badRequest("PATCH, application/apply-patch+yaml: fieldManager is required for apply requests");
  if (patchType === undefined) throw unknownPatchType(type);
  if (patchType === "strategic" && type.custom) throw unsupportedPatchType();
  if (patchType === "apply" && !request.query.get("fieldManager"))
    throw badRequest("PATCH, application/apply-patch+yaml: fieldManager is required for apply requests");
  const options = { ...writeOptionsOf(request, subresource, "PatchOptions"), force: isTrue(request.query.get("force")) };
  const raw = await readBody(request.req);
  const patch = patchType === "apply" ? parseYamlBody(raw) : parseJsonBody(raw, "error decoding patch");
  const { object, created } = context.api.patch(type, namespace, name, patchType, patch, options);
  sendJson(request.res, created ? 201 : 200, object, undefined, warningHeaders(request));
}

function unknownPatchType(type: ResourceType): ApiError {
  if (type.custom) return unsupportedPatchType();
  return statusError(
    415,
    "UnsupportedMediaType",
    "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json",
  );
}
