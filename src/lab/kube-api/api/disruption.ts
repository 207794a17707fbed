/**
 * PodDisruptionBudget arithmetic, shared by the disruption controller (which writes it to status)
 * and eviction (which reads status, as the real server does).
 */
import { type LabelSelectorObject, labelSelectorMatcher } from "../selectors/label-selector-object.js";
import type { KubeObject } from "../types.js";

export interface PdbSpec {
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  selector?: LabelSelectorObject;
}

export interface PdbStatus {
  observedGeneration?: number;
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  expectedPods?: number;
  disruptedPods?: Record<string, string>;
}

/** Whether a PDB selects the pod (same namespace, selector matches). */
export function pdbSelects(pdb: KubeObject, pod: KubeObject): boolean {
  if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
  return labelSelectorMatcher((pdb.spec as PdbSpec | undefined)?.selector)(pod.metadata.labels);
}

/** Running, Ready and not being deleted: what the disruption controller counts as healthy. */
export function podIsHealthy(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const conditions = (pod.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

/** An int-or-percent against a count, rounded up as the disruption controller does. */
function scaled(value: number | string, of: number): number {
  if (typeof value === "number") return value;
  const percent = /^(\d+)%$/.exec(value);
  return percent ? Math.ceil((Number(percent[1]) * of) / 100) : Number(value) || 0;
}

/**
 * The status the disruption controller computes from the pods a PDB selects (expected pods are
 * the selected pods: the lab has no scale subresources to ask).
 */
export function pdbStatusFor(pdb: KubeObject, pods: KubeObject[], disruptedPods: Record<string, string> = {}): PdbStatus {
  const spec = (pdb.spec ?? {}) as PdbSpec;
  const selected = pods.filter((pod) => pdbSelects(pdb, pod));
  const stillDisrupted = Object.fromEntries(
    Object.entries(disruptedPods).filter(([name]) => selected.some((p) => p.metadata.name === name && !p.metadata.deletionTimestamp)),
  );
  const expected = selected.length;
  const healthy = selected.filter((pod) => podIsHealthy(pod) && !((pod.metadata.name ?? "") in stillDisrupted)).length;
  const desired =
    spec.maxUnavailable !== undefined
      ? Math.max(0, expected - scaled(spec.maxUnavailable, expected))
      : scaled(spec.minAvailable ?? 1, expected);
  return {
    observedGeneration: pdb.metadata.generation ?? 1,
    disruptionsAllowed: Math.max(0, healthy - desired),
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    ...(Object.keys(stillDisrupted).length > 0 ? { disruptedPods: stillDisrupted } : {}),
  };
}
