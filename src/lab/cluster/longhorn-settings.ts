import type { KubeObject } from "../kube-api/index.js";
import { longhornImage, type SeedInput } from "./seed-input.js";

/**
 * The Settings runbooks read or change (longhorn-node re-registers disks by label; upgrades read
 * the current version and turn automatic engine upgrades on; uninstall needs the deleting-confirmation-flag), with the operator's
 * Helm values (shared/domain/operator-log.md: createDefaultDiskLabeledNodes, soft anti-affinity).
 */
export function longhornSettings(input: SeedInput): KubeObject[] {
  const values: Record<string, string> = {
    "current-longhorn-version": `v${input.model.options.version}`,
    "create-default-disk-labeled-nodes": "true",
    "default-data-path": "/var/lib/longhorn/",
    "default-replica-count": "2",
    "replica-soft-anti-affinity": "true",
    "replica-zone-soft-anti-affinity": "true",
    "storage-over-provisioning-percentage": "100",
    "storage-minimal-available-percentage": "25",
    "deleting-confirmation-flag": "false",
    "node-drain-policy": "block-if-contains-last-replica",
    // Longhorn's default; longhorn-upgrade turns it on so engines follow each hop (drill longhorn-upgrade/clean).
    "concurrent-automatic-engine-upgrade-per-node-limit": "0",
  };
  return Object.entries(values).map(([name, value]) => ({
    apiVersion: "longhorn.io/v1beta2",
    kind: "Setting",
    metadata: { name, namespace: "longhorn-system" },
    value,
    status: { applied: true },
  }));
}

/** The engine image every volume runs, deployed on every node. */
export function engineImage(input: SeedInput): KubeObject {
  const version = input.model.options.version;
  return {
    apiVersion: "longhorn.io/v1beta2",
    kind: "EngineImage",
    metadata: {
      name: `ei-${input.names.hex(8)}`,
      namespace: "longhorn-system",
      finalizers: ["longhorn.io"],
      labels: { "longhorn.io/component": "engine-image" },
    },
    spec: { image: longhornImage("engine", version) },
    status: {
      state: "deployed",
      refCount: input.volumes.length,
      incompatible: false,
      version: `v${version}`,
      nodeDeploymentMap: Object.fromEntries(input.model.nodes.map((n) => [n.name, true])),
      ownerID: input.model.nodes[0]?.name ?? "",
    },
  };
}
