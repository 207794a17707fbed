/**
 * The pods/eviction subresource (policy/v1 Eviction), as the real EvictionREST: a delete that a
 * PodDisruptionBudget may refuse with 429 (kubectl drain retries then, every 5 s), so a drain stops
 * at Longhorn's instance-manager PDBs as on a real cluster (drill: drain a node with attached volumes).
 */

import type { Registry } from "../registry/registry.js";
import { ApiError, badRequest } from "../status.js";
import { statusError } from "../status-codes.js";
import { rfc3339 } from "../store/objects.js";
import type { ListFilter } from "../store/store.js";
import type { KubeObject, ResourceType } from "../types.js";
import { type PdbStatus, pdbSelects } from "./disruption.js";
import type { DeleteRequestOptions, WriteOptions } from "./options.js";

/** The part of the API layer an eviction uses (the layer passes itself). */
export interface EvictionApi {
  readonly registry: Registry;
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject;
  list(type: ResourceType, namespace: string | undefined, filter?: ListFilter): { items: KubeObject[] };
  update(type: ResourceType, namespace: string | undefined, name: string, body: Record<string, unknown>, options: WriteOptions): KubeObject;
  delete(type: ResourceType, namespace: string | undefined, name: string, options?: DeleteRequestOptions): KubeObject;
}

const IGNORES_BUDGETS = new Set(["Succeeded", "Failed", "Pending"]);

/** The Status a successful eviction answers with (201). */
export const EVICTION_SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };

/** Evicts a pod: checks and decrements the one PDB that selects it, then deletes the pod with the Eviction's deleteOptions. */
export function evictPod(
  api: EvictionApi,
  pods: ResourceType,
  namespace: string,
  name: string,
  eviction: Record<string, unknown>,
  dryRun: boolean,
  now: Date,
): void {
  const meta = (eviction.metadata ?? {}) as { name?: unknown };
  if (meta.name !== undefined && meta.name !== name) throw badRequest("name in URL does not match name in Eviction object");
  const deleteOptions = { ...((eviction.deleteOptions ?? {}) as DeleteRequestOptions), ...(dryRun ? { dryRun } : {}) };
  const pod = api.get(pods, namespace, name);
  const phase = (pod.status as { phase?: string } | undefined)?.phase ?? "";
  if (!pod.metadata.deletionTimestamp && !IGNORES_BUDGETS.has(phase)) checkBudget(api, pod, dryRun, now);
  api.delete(pods, namespace, name, deleteOptions);
}

function checkBudget(api: EvictionApi, pod: KubeObject, dryRun: boolean, now: Date): void {
  const pdbType = api.registry.byKind("policy/v1", "PodDisruptionBudget");
  if (!pdbType) return;
  const budgets = api.list(pdbType, pod.metadata.namespace).items.filter((pdb) => pdbSelects(pdb, pod));
  if (budgets.length === 0) return;
  if (budgets.length > 1)
    throw statusError(
      500,
      "InternalError",
      "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
    );
  const pdb = budgets[0] as KubeObject;
  const status = (pdb.status ?? {}) as PdbStatus;
  const pdbName = pdb.metadata.name ?? "";
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1))
    throw tooManyRequests(`The disruption budget ${pdbName} is still being processed by the server.`);
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed < 0)
    throw new ApiError(403, "Forbidden", `poddisruptionbudgets.policy "${pdbName}" is forbidden: pdb disruptions allowed is negative`);
  if (allowed === 0)
    throw tooManyRequests(
      `The disruption budget ${pdbName} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
    );
  if (dryRun) return;
  const disruptedPods = { ...(status.disruptedPods ?? {}), [pod.metadata.name ?? ""]: rfc3339(now) };
  api.update(
    pdbType,
    pdb.metadata.namespace,
    pdbName,
    { ...pdb, status: { ...status, disruptionsAllowed: allowed - 1, disruptedPods } },
    {
      fieldManager: "kube-apiserver",
      subresource: "status",
    },
  );
}

function tooManyRequests(cause: string): ApiError {
  return new ApiError(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [{ reason: "DisruptionBudget", message: cause }],
    retryAfterSeconds: 0,
  });
}
