/** Applying a merge, JSON or strategic patch to a stored object, and checking the result still names it. */
import { checkDepth } from "../http/body-depth.js";
import { jsonPatch, mergePatch, strategicMergePatch } from "../patch/index.js";
import { ApiError, badRequest, unsupportedPatchType } from "../status.js";
import type { KubeObject, ResourceType } from "../types.js";
import { normaliseIncoming } from "./normalise.js";
import type { PatchType } from "./options.js";

/** The patched object, normalised like an update body; strategic merge on a custom resource is a 415. */
export function patchObject(type: ResourceType, live: KubeObject, patchType: Exclude<PatchType, "apply">, patch: unknown): KubeObject {
  if (patchType === "strategic" && type.custom) throw unsupportedPatchType();
  const name = live.metadata.name as string;
  return keepIdentity(type, live, applyPatch(patchType, live, patch, type), name);
}

function applyPatch(patchType: Exclude<PatchType, "apply">, live: KubeObject, patch: unknown, type: ResourceType): unknown {
  if (patchType === "json") return jsonPatch(live, patch);
  if (patch === null || typeof patch !== "object" || Array.isArray(patch))
    throw badRequest("error decoding patch: the patch is not a JSON object");
  if (patchType === "merge") return mergePatch(live, patch);
  return strategicMergePatch(live, patch as Record<string, unknown>, { apiVersion: live.apiVersion, kind: type.kind });
}

/** A patch may not rename, move or retype the object. */
function keepIdentity(type: ResourceType, live: KubeObject, patched: unknown, name: string): KubeObject {
  if (patched === null || typeof patched !== "object" || Array.isArray(patched))
    throw new ApiError(422, "Invalid", `${type.kind} "${name}" is invalid: the patched object is not a JSON object`);
  // Patches can only add so much depth each, but a series of them must not build an object the emulator cannot walk.
  checkDepth(patched, `${type.kind} "${name}" is invalid: the patched object`);
  const object = patched as KubeObject;
  const metadata = object.metadata && typeof object.metadata === "object" ? object.metadata : {};
  if (metadata.name !== undefined && metadata.name !== name)
    throw badRequest(`the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`);
  return normaliseIncoming(
    type,
    { ...object, apiVersion: live.apiVersion, kind: live.kind, metadata: { ...metadata, name } },
    live.metadata.namespace,
    name,
  );
}
