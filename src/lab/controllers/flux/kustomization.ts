/** A Flux Kustomization as kustomize-controller reads it (kustomize.toolkit.fluxcd.io/v1). */
export interface KustomizationView {
  metadata: { name: string; namespace: string; generation?: number; annotations?: Record<string, string> };
  spec: { suspend?: boolean; dependsOn?: { name: string; namespace?: string }[]; path?: string; interval?: string };
  status?: {
    observedGeneration?: number;
    lastHandledReconcileAt?: string;
    lastAppliedRevision?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** `flux reconcile` writes this annotation; the controller copies it to status.lastHandledReconcileAt (meta.ReconcileRequestAnnotation). */
export const RECONCILE_REQUEST_ANNOTATION = "reconcile.fluxcd.io/requestedAt";

/** kustomize-controller's --requeue-dependency default. */
export const DEPENDENCY_REQUEUE_MS = 30_000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration as Flux writes intervals ("10m", "1h30m"); undefined when it is not one. */
export function goDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] as string] ?? 0), 0);
}

const isReady = (k: KustomizationView | undefined): boolean =>
  k !== undefined &&
  (k.status?.conditions?.length ?? 0) > 0 &&
  k.metadata.generation === k.status?.observedGeneration &&
  k.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";

/** What a reconcile of a Kustomization does next. */
export type KustomizationStep =
  /** suspend: true — "Reconciliation is suspended for this object": nothing is done or refused. */
  | { kind: "suspended" }
  /** A dependency is not Ready for its generation: DependencyNotReady, retried later. */
  | { kind: "wait"; message: string; requeueAfterMs: number }
  /** Build `path` from the source's revision and apply it. */
  | { kind: "apply"; path: string };

/**
 * KustomizationReconciler.Reconcile's decision, pure: suspended objects are skipped;
 * checkDependencies wants every dependsOn Ready for its generation ("dependency 'ns/name' is
 * not ready"); otherwise the path is built and applied. Flux suspend and resume in longhorn-node meet this.
 */
export function nextStep(
  obj: KustomizationView,
  byKey: (namespace: string, name: string) => KustomizationView | undefined,
): KustomizationStep {
  if (obj.spec.suspend) return { kind: "suspended" };
  for (const dep of obj.spec.dependsOn ?? []) {
    const key = `${dep.namespace ?? obj.metadata.namespace}/${dep.name}`;
    const found = byKey(dep.namespace ?? obj.metadata.namespace, dep.name);
    if (!found) return { kind: "wait", message: `dependency '${key}' not found`, requeueAfterMs: DEPENDENCY_REQUEUE_MS };
    if (!isReady(found)) return { kind: "wait", message: `dependency '${key}' is not ready`, requeueAfterMs: DEPENDENCY_REQUEUE_MS };
  }
  return { kind: "apply", path: obj.spec.path ?? "./" };
}

/**
 * When the controller reconciles on its own: a new generation, a new requestedAt annotation
 * (`flux reconcile`, longhorn-node's reconcile step), a new artifact revision of its source (the
 * watch kustomize-controller keeps on it; drill longhorn-upgrade/clean: a pushed chart bump is
 * applied without waiting for the interval), or the interval since the last run.
 */
export function isDue(obj: KustomizationView, lastRunMs: number | undefined, nowMs: number, sourceRevision?: string): boolean {
  if (obj.spec.suspend) return false;
  if (lastRunMs === undefined || obj.metadata.generation !== obj.status?.observedGeneration) return true;
  if (sourceRevision !== undefined && obj.status?.lastAppliedRevision !== undefined && sourceRevision !== obj.status.lastAppliedRevision)
    return true;
  const requested = obj.metadata.annotations?.[RECONCILE_REQUEST_ANNOTATION];
  if (requested !== undefined && requested !== obj.status?.lastHandledReconcileAt) return true;
  return nowMs - lastRunMs >= (goDuration(obj.spec.interval) ?? 600_000);
}

/**
 * The status a reconcile leaves (finalizeStatus): Ready True "Applied revision: …" with
 * observedGeneration, or Ready False with the failure's reason; lastHandledReconcileAt copied
 * from the annotation either way.
 */
export function reconciledStatus(
  obj: KustomizationView,
  outcome: { ok: true; revision: string } | { ok: false; reason: string; message: string; revision?: string },
  now: string,
): Record<string, unknown> {
  const generation = obj.metadata.generation ?? 1;
  const requested = obj.metadata.annotations?.[RECONCILE_REQUEST_ANNOTATION];
  const ready = outcome.ok
    ? { type: "Ready", status: "True", reason: "ReconciliationSucceeded", message: `Applied revision: ${outcome.revision}` }
    : { type: "Ready", status: "False", reason: outcome.reason, message: outcome.message };
  const previous = obj.status?.conditions?.find((c) => c.type === "Ready") as { lastTransitionTime?: string; status?: string } | undefined;
  return {
    ...(obj.status ?? {}),
    ...(outcome.ok || outcome.reason !== "DependencyNotReady" ? { observedGeneration: generation } : {}),
    conditions: [
      {
        ...ready,
        observedGeneration: generation,
        lastTransitionTime: previous?.status === ready.status ? (previous.lastTransitionTime ?? now) : now,
      },
    ],
    ...(outcome.ok ? { lastAppliedRevision: outcome.revision } : {}),
    ...(outcome.revision ? { lastAttemptedRevision: outcome.revision } : {}),
    ...(requested !== undefined ? { lastHandledReconcileAt: requested } : {}),
  };
}
