/** The rules of deletion: preconditions, graceful pod termination, and when a deleting object may go. */

import { isPodType } from "../registry/names.js";
import { ApiError, qualifiedName } from "../status.js";
import type { KubeObject, ResourceType } from "../types.js";

/** What a DELETE request may carry (the body's `gracePeriodSeconds` and `preconditions`). */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Kubernetes' default `terminationGracePeriodSeconds` for pods. */
const defaultPodGraceSeconds = 30;

/** 409 when a precondition does not hold, worded as the real server does. */
export function checkPreconditions(type: ResourceType, object: KubeObject, preconditions: DeleteOptions["preconditions"]): void {
  const name = object.metadata.name ?? "";
  const fail = (field: string, wanted: string, actual: string | undefined): never => {
    throw new ApiError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualifiedName(type)} "${name}": Precondition failed: ${field} in precondition: ${wanted}, ${field} in object meta: ${actual ?? ""}`,
      { name, group: type.group, kind: type.resource },
    );
  };
  if (preconditions?.uid !== undefined && preconditions.uid !== object.metadata.uid) fail("UID", preconditions.uid, object.metadata.uid);
  if (preconditions?.resourceVersion !== undefined && preconditions.resourceVersion !== object.metadata.resourceVersion) {
    fail("ResourceVersion", preconditions.resourceVersion, object.metadata.resourceVersion);
  }
}

/**
 * Seconds a delete waits before removing the object: only pods bound to a node that are still running
 * terminate gracefully (the kubelet's job); everything else is 0.
 */
export function gracePeriodFor(type: ResourceType, object: KubeObject, requested: number | undefined): number {
  const explicit = requested !== undefined && requested >= 0 ? Math.floor(requested) : undefined;
  if (!isPodType(type)) return 0;
  const spec = (object.spec ?? {}) as { nodeName?: unknown; terminationGracePeriodSeconds?: unknown };
  const phase = ((object.status ?? {}) as { phase?: unknown }).phase;
  if (!spec.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
  if (explicit !== undefined) return explicit;
  return typeof spec.terminationGracePeriodSeconds === "number" ? spec.terminationGracePeriodSeconds : defaultPodGraceSeconds;
}

/** The `deletionGracePeriodSeconds` recorded on an object kept by finalizers: what was asked, else 0. */
export function recordedGracePeriod(requested: number | undefined): number {
  return requested !== undefined && requested >= 0 ? Math.floor(requested) : 0;
}

/** Whether an object being deleted has nothing left holding it (finalizers are the caller's to check for namespaces' content). */
export const hasFinalizers = (object: KubeObject): boolean => (object.metadata.finalizers?.length ?? 0) > 0;
