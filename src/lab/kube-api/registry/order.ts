/**
 * The orders a real API server lists things in. kubectl resolves an ambiguous name or short
 * name to the first match in discovery, so `nodes` must mean core nodes before longhorn.io
 * nodes and `volumeattachments` storage.k8s.io before longhorn.io, exactly as on a cluster.
 */

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Sort key of a version: GA before beta before alpha, higher numbers first; others last. */
function versionRank(version: string): [number, number, number] {
  const m = KUBE_VERSION.exec(version);
  if (!m) return [3, 0, 0];
  const stability = m[2] === undefined ? 0 : m[2] === "beta" ? 1 : 2;
  return [stability, -Number(m[1]), -Number(m[3] ?? 0)];
}

/** Kubernetes' version priority (apimachinery CompareKubeAwareVersionStrings): negative when `a` is preferred. */
export function compareVersions(a: string, b: string): number {
  const ra = versionRank(a);
  const rb = versionRank(b);
  for (let i = 0; i < 3; i++) {
    const d = (ra[i] ?? 0) - (rb[i] ?? 0);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Group priorities of the kube-apiserver's built-in APIServices; CRD groups get 1000. */
const GROUP_PRIORITY: Record<string, number> = {
  "": 18000,
  apps: 17800,
  "events.k8s.io": 17750,
  "authentication.k8s.io": 17700,
  "authorization.k8s.io": 17600,
  autoscaling: 17500,
  batch: 17400,
  "certificates.k8s.io": 17300,
  "networking.k8s.io": 17200,
  policy: 17100,
  "rbac.authorization.k8s.io": 17000,
  "storage.k8s.io": 16800,
  "admissionregistration.k8s.io": 16700,
  "apiextensions.k8s.io": 16700,
  "scheduling.k8s.io": 16600,
  "coordination.k8s.io": 16500,
  "node.k8s.io": 16300,
  "discovery.k8s.io": 16200,
  "flowcontrol.apiserver.k8s.io": 16100,
};

const CUSTOM_GROUP_PRIORITY = 1000;

/** Discovery order of groups: higher priority first, then by name (aggregated discovery's tie-break). */
export function compareGroups(a: string, b: string): number {
  const d = (GROUP_PRIORITY[b] ?? CUSTOM_GROUP_PRIORITY) - (GROUP_PRIORITY[a] ?? CUSTOM_GROUP_PRIORITY);
  if (d !== 0) return d;
  return a < b ? -1 : a > b ? 1 : 0;
}
