import { type ControllerLike, rfc3339 } from "../platform.js";
import { RECONCILE_REQUEST_ANNOTATION } from "./kustomization.js";

/**
 * helm-controller, as far as a recovery sees it: a HelmRelease that is not suspended reports
 * Ready for its generation with its chart version (upgrade drills bump spec.chart.spec.version);
 * a suspended one is left alone. Runbook: longhorn-node suspends and resumes it.
 */
export const helmReleaseController: ControllerLike = {
  name: "helm-controller",
  keysFor: (change) =>
    change.resource.group === "helm.toolkit.fluxcd.io" && change.type !== "DELETED"
      ? [`${change.object.metadata.namespace}/${change.object.metadata.name}`]
      : [],
  initialKeys: (client) =>
    client
      .resource("helm.toolkit.fluxcd.io/v2", "HelmRelease")
      .list()
      .map((h) => `${h.metadata.namespace}/${h.metadata.name}`),
  reconcile(key, { client, scheduler }) {
    const [namespace, name] = key.split("/") as [string, string];
    const releases = client.resource("helm.toolkit.fluxcd.io/v2", "HelmRelease");
    const release = releases.tryGet(name, namespace);
    const spec = (release?.spec ?? {}) as { suspend?: boolean; chart?: { spec?: { chart?: string; version?: string } } };
    if (!release || spec.suspend) return;
    const status = (release.status ?? {}) as {
      observedGeneration?: number;
      lastHandledReconcileAt?: string;
      lastAttemptedRevision?: string;
    };
    const generation = release.metadata.generation ?? 1;
    const requested = release.metadata.annotations?.[RECONCILE_REQUEST_ANNOTATION];
    if (status.observedGeneration === generation && (requested === undefined || requested === status.lastHandledReconcileAt)) return;
    const chart = spec.chart?.spec ?? {};
    const now = rfc3339(scheduler.now());
    const upgrade = status.lastAttemptedRevision !== undefined && status.lastAttemptedRevision !== chart.version;
    releases.updateStatus({
      ...release,
      status: {
        ...status,
        observedGeneration: generation,
        lastAttemptedRevision: chart.version,
        lastAttemptedGeneration: generation,
        ...(requested !== undefined ? { lastHandledReconcileAt: requested } : {}),
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: upgrade ? "UpgradeSucceeded" : "InstallSucceeded",
            message: `Helm ${upgrade ? "upgrade" : "install"} succeeded for release ${namespace}/${name}.v1 with chart ${chart.chart}@${chart.version}`,
            observedGeneration: generation,
            lastTransitionTime: now,
          },
        ],
      },
    });
  },
};
