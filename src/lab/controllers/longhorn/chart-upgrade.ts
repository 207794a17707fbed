import type { KubeObject } from "../../kube-api/index.js";
import { longhornImage } from "../../objects/longhorn-image.js";
import type { ControllerLike, KubeClientLike } from "../platform.js";

const NS = "longhorn-system";
const KEY = "longhorn-chart";

type Release = {
  spec?: { suspend?: boolean; chart?: { spec?: { chart?: string; version?: string } } };
  status?: { lastAttemptedRevision?: string };
};

const setting = (client: KubeClientLike, name: string) => client.resource("longhorn.io/v1beta2", "Setting").tryGet(name, NS);
const settingValue = (client: KubeClientLike, name: string): string =>
  String((setting(client, name) as { value?: unknown } | undefined)?.value ?? "");

/** The chart version helm-controller has applied to the longhorn HelmRelease, if it is not the running one. */
function appliedChartVersion(client: KubeClientLike): string | undefined {
  const release = client.resource("helm.toolkit.fluxcd.io/v2", "HelmRelease").tryGet("longhorn", NS) as (KubeObject & Release) | undefined;
  const version = release?.spec?.chart?.spec?.version;
  if (!release || release.spec?.suspend || !version || release.status?.lastAttemptedRevision !== version) return undefined;
  return `v${version}` === settingValue(client, "current-longhorn-version") ? undefined : version;
}

/** What the new chart's manager does: report the version, roll the manager DaemonSet, deploy the new engine image. */
function upgradeTo(client: KubeClientLike, version: string): void {
  const settings = client.resource("longhorn.io/v1beta2", "Setting");
  settings.patch("current-longhorn-version", NS, { value: `v${version}` });
  const daemonSets = client.resource("apps/v1", "DaemonSet");
  const ds = daemonSets.get("longhorn-manager", NS);
  const template = (ds.spec as { template: { spec: { containers: { name: string; image: string }[] } } }).template;
  const containers = template.spec.containers.map((c) =>
    c.name === "longhorn-manager" ? { ...c, image: longhornImage("manager", version) } : c,
  );
  const updated = daemonSets.update({
    ...ds,
    spec: { ...(ds.spec as object), template: { ...template, spec: { ...template.spec, containers } } },
  });
  const status = (updated.status ?? {}) as { desiredNumberScheduled?: number };
  daemonSets.updateStatus({
    ...updated,
    status: { ...status, observedGeneration: updated.metadata.generation ?? 1, updatedNumberScheduled: status.desiredNumberScheduled ?? 0 },
  });
  const images = client.resource("longhorn.io/v1beta2", "EngineImage");
  const image = longhornImage("engine", version);
  if (images.list(NS).some((i) => (i.spec as { image?: string }).image === image)) return;
  const nodes = client.resource("v1", "Node").list();
  const created = images.create({
    apiVersion: "longhorn.io/v1beta2",
    kind: "EngineImage",
    metadata: { name: `ei-${version.replaceAll(".", "-")}`, namespace: NS, labels: { "longhorn.io/component": "engine-image" } },
    spec: { image },
  });
  images.updateStatus({
    ...created,
    status: {
      state: "deployed",
      incompatible: false,
      version: `v${version}`,
      nodeDeploymentMap: Object.fromEntries(nodes.map((n) => [n.metadata.name ?? "", true])),
    },
  });
}

/** With automatic engine upgrades on, every volume moves to the running version's engine image. */
function upgradeEngines(client: KubeClientLike): void {
  if (["", "0"].includes(settingValue(client, "concurrent-automatic-engine-upgrade-per-node-limit"))) return;
  const image = longhornImage("engine", settingValue(client, "current-longhorn-version").replace(/^v/, ""));
  const volumes = client.resource("longhorn.io/v1beta2", "Volume");
  for (const v of volumes.list(NS)) {
    if ((v.status as { currentImage?: string } | undefined)?.currentImage === image) continue;
    volumes.patch(v.metadata.name ?? "", NS, { spec: { image } });
    volumes.patch(v.metadata.name ?? "", NS, { status: { currentImage: image } }, { subresource: "status" });
  }
}

/**
 * A Longhorn chart upgrade as a recovery sees it, once helm-controller has applied a new chart
 * version to longhorn-system/longhorn: current-longhorn-version, the manager DaemonSet rolled out,
 * the new engine image deployed, and (with automatic engine upgrades on) every volume's engine
 * moved to it. No pre-upgrade check: a downgrade or skip is what the runbook must refuse itself.
 * Drill: longhorn-upgrade/clean.
 */
export const longhornChartUpgradeController: ControllerLike = {
  name: "longhorn-chart-upgrade",
  keysFor: (change) =>
    (change.resource.group === "helm.toolkit.fluxcd.io" && change.object.metadata.name === "longhorn") ||
    (change.resource.group === "longhorn.io" && change.resource.resource === "settings")
      ? [KEY]
      : [],
  initialKeys: () => [KEY],
  reconcile(_key, { client }) {
    const version = appliedChartVersion(client);
    if (version !== undefined) upgradeTo(client, version);
    upgradeEngines(client);
  },
};
