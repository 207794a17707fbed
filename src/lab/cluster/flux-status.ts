import type { KubeObject } from "../kube-api/index.js";

const FLUX_GROUPS = /\.toolkit\.fluxcd\.io\//;

export const isFluxObject = (o: KubeObject): boolean => FLUX_GROUPS.test(o.apiVersion);

function ready(now: string, reason: string, message: string): Record<string, unknown> {
  return { type: "Ready", status: "True", reason, message, lastTransitionTime: now, observedGeneration: 1 };
}

/**
 * A Flux object as its controller leaves it after a successful reconcile of `commit`: Ready for
 * generation 1, with the revision Flux reports (main@sha1:…, or the chart version for a HelmRelease).
 */
export function withFluxStatus(object: KubeObject, commit: string, now: string): KubeObject {
  const revision = `main@sha1:${commit}`;
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  switch (object.kind) {
    case "GitRepository":
      return {
        ...object,
        status: {
          observedGeneration: 1,
          conditions: [ready(now, "Succeeded", `stored artifact for revision '${revision}'`)],
          artifact: {
            revision,
            path: `gitrepository/${object.metadata.namespace}/${object.metadata.name}/${commit}.tar.gz`,
            lastUpdateTime: now,
          },
        },
      };
    case "Kustomization":
      return {
        ...object,
        status: {
          observedGeneration: 1,
          conditions: [ready(now, "ReconciliationSucceeded", `Applied revision: ${revision}`)],
          lastAppliedRevision: revision,
          lastAttemptedRevision: revision,
        },
      };
    case "HelmRelease": {
      const chart = ((spec.chart as Record<string, unknown>)?.spec ?? {}) as Record<string, unknown>;
      const version = String(chart.version ?? "");
      const name = `${object.metadata.namespace}/${object.metadata.name}`;
      return {
        ...object,
        status: {
          observedGeneration: 1,
          conditions: [
            ready(now, "InstallSucceeded", `Helm install succeeded for release ${name}.v1 with chart ${chart.chart}@${version}`),
          ],
          history: [
            {
              chartName: chart.chart,
              chartVersion: version,
              appVersion: `v${version}`,
              name: object.metadata.name,
              namespace: object.metadata.namespace,
              version: 1,
              status: "deployed",
              firstDeployed: now,
              lastDeployed: now,
            },
          ],
          lastAttemptedRevision: version,
          lastAttemptedGeneration: 1,
        },
      };
    }
    default:
      return {
        ...object,
        status: { observedGeneration: 1, conditions: [ready(now, "Succeeded", `stored artifact for revision '${revision}'`)] },
      };
  }
}
