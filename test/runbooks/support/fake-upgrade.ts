// Longhorn's side of an upgrade, as the upgrade runbook meets it: when Flux applies a new chart
// version to the HelmRelease, Longhorn runs it if it is the next minor (or a newer patch of the
// same) — current-longhorn-version, the manager DaemonSet rolled out, the new engine image
// deployed, volume engines upgraded once automatic engine upgrade is on — and otherwise the
// pre-upgrade job fails with a FailedUpgradePreCheck event, as the chart's hook does.
import type { Controller, KubeApi, KubeClient, KubeObject } from "../../../src/lab/kube-api/index.js";

const LH = "longhorn.io/v1beta2";
const NS = "longhorn-system";
type Setting = KubeObject & { value?: string };

const parts = (v: string) => v.replace(/^v/, "").split(".").map(Number) as [number, number, number];

function upgrade(client: KubeClient, to: string, refuse: string[]): void {
  const settings = client.resource<Setting>(LH, "Setting");
  const current = settings.get("current-longhorn-version", NS).value ?? "v0.0.0";
  if (current === `v${to}`) return;
  const [, cm, cp] = parts(current);
  const [, tm, tp] = parts(to);
  const next = tm === cm + 1 || (tm === cm && tp > cp);
  if (!next || refuse.includes(to)) {
    client.resource("events.k8s.io/v1", "Event").create({
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: `longhorn-pre-upgrade.${to}`, namespace: NS },
      eventTime: new Date().toISOString(),
      reportingController: "longhorn-pre-upgrade",
      reportingInstance: "longhorn-pre-upgrade",
      action: "PreUpgradeCheck",
      reason: "FailedUpgradePreCheck",
      type: "Warning",
      note: `failed to upgrade since upgrading from ${current} to v${to} for minor version is not supported`,
      regarding: { kind: "Job", namespace: NS, name: "longhorn-pre-upgrade" },
    } as KubeObject);
    return;
  }
  settings.patch("current-longhorn-version", NS, { value: `v${to}` });
  const ds = client.resource("apps/v1", "DaemonSet");
  const manager = ds.patch("longhorn-manager", NS, { spec: { template: { metadata: { annotations: { version: to } } } } });
  ds.patch(
    "longhorn-manager",
    NS,
    {
      status: rolledOut(manager.metadata.generation),
    },
    { subresource: "status" },
  );
  client.resource(LH, "EngineImage").create({
    apiVersion: LH,
    kind: "EngineImage",
    metadata: { name: `ei-v${to}`, namespace: NS },
    spec: { image: `longhornio/longhorn-engine:v${to}` },
  } as KubeObject);
  client.resource(LH, "EngineImage").patch(`ei-v${to}`, NS, { status: { state: "deployed" } }, { subresource: "status" });
}

/** Volumes take the newest deployed engine image once automatic engine upgrade is allowed. */
function upgradeEngines(client: KubeClient): void {
  const limit = client.resource<Setting>(LH, "Setting").tryGet("concurrent-automatic-engine-upgrade-per-node-limit", NS)?.value ?? "0";
  if (limit === "0") return;
  const version = client.resource<Setting>(LH, "Setting").get("current-longhorn-version", NS).value;
  const image = `longhornio/longhorn-engine:${version}`;
  for (const v of client.resource(LH, "Volume").list(NS))
    if ((v.status as { currentImage?: string } | undefined)?.currentImage !== image)
      client.resource(LH, "Volume").patch(v.metadata.name ?? "", NS, { status: { currentImage: image } }, { subresource: "status" });
}

export function startFakeUpgrades(api: KubeApi, options: { refuse?: string[] } = {}): () => void {
  const controller: Controller = {
    name: "longhorn-upgrade",
    keysFor: (change) => {
      if (change.resource.group === "helm.toolkit.fluxcd.io") return ["release"];
      if (change.resource.group === "longhorn.io" && change.resource.kind === "Setting") return ["engines"];
      return [];
    },
    reconcile(key, { client }) {
      if (key === "release") {
        const release = client.resource("helm.toolkit.fluxcd.io/v2", "HelmRelease").tryGet("longhorn", NS);
        const spec = (release?.spec ?? {}) as { chart?: { spec?: { version?: string } }; suspend?: boolean };
        const version = spec.chart?.spec?.version;
        if (version && !spec.suspend) upgrade(client, version, options.refuse ?? []);
      } else upgradeEngines(client);
    },
  };
  return api.startController(controller);
}

/** A DaemonSet status rolled out on both nodes for `generation`. */
export const rolledOut = (generation: number | undefined) => ({
  observedGeneration: generation,
  desiredNumberScheduled: 2,
  updatedNumberScheduled: 2,
  numberAvailable: 2,
  currentNumberScheduled: 2,
  numberReady: 2,
  numberMisscheduled: 0,
});
