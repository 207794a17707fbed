/**
 * Server-side printers of the built-in types, ported from kubernetes
 * pkg/printers/internalversion/printers.go (1.32) for the columns kubectl shows.
 */

import type { KubeObject } from "../types.js";
import { ageSince } from "./age.js";
import { AGE_COLUMN, type BuiltinPrinter, column, type Json, NAME_COLUMN, type PrintedRow, rec, recs, str } from "./cells.js";
import { eventPrinter } from "./event.js";
import { podPrinter } from "./pod.js";

const age = (o: KubeObject, now: number): string => ageSince(o.metadata.creationTimestamp, now);
const nameOf = (o: KubeObject): string => o.metadata.name ?? "";

function nodeRow(node: KubeObject, now: number): PrintedRow {
  const spec = rec(node.spec);
  const status = rec(node.status);
  const ready = recs(status.conditions).find((c) => c.type === "Ready");
  const states = [ready ? (ready.status === "True" ? "Ready" : "NotReady") : "Unknown"];
  if (spec.unschedulable === true) states.push("SchedulingDisabled");
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith("node-role.kubernetes.io/") && key.length > "node-role.kubernetes.io/".length) {
      roles.add(key.slice("node-role.kubernetes.io/".length));
    } else if (key === "kubernetes.io/role" && value !== "") roles.add(value);
  }
  const info = rec(status.nodeInfo);
  const address = (type: string) => str(recs(status.addresses).find((a) => a.type === type)?.address) || "<none>";
  return {
    cells: [
      nameOf(node),
      states.join(","),
      roles.size > 0 ? [...roles].sort().join(",") : "<none>",
      age(node, now),
      str(info.kubeletVersion),
      address("InternalIP"),
      address("ExternalIP"),
      str(info.osImage) || "<unknown>",
      str(info.kernelVersion) || "<unknown>",
      str(info.containerRuntimeVersion) || "<unknown>",
    ],
  };
}

const nodePrinter: BuiltinPrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", "string", "The status of the node"),
    column("Roles", "string", "The roles of the node"),
    AGE_COLUMN,
    column("Version", "string", "Kubelet Version reported by the node."),
    column("Internal-IP", "string", "List of addresses reachable to the node.", { priority: 1 }),
    column("External-IP", "string", "List of addresses reachable to the node.", { priority: 1 }),
    column("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", { priority: 1 }),
    column("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
    column(
      "Container-Runtime",
      "string",
      "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
      {
        priority: 1,
      },
    ),
  ],
  row: nodeRow,
};

const namespacePrinter: BuiltinPrinter = {
  columns: [NAME_COLUMN, column("Status", "string", "The status of the namespace"), AGE_COLUMN],
  row: (ns, now) => ({ cells: [nameOf(ns), str(rec(ns.status).phase), age(ns, now)] }),
};

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once. */
function accessModes(modes: unknown): string {
  const set = new Set(Array.isArray(modes) ? modes : []);
  const short: [string, string][] = [
    ["ReadWriteOnce", "RWO"],
    ["ReadOnlyMany", "ROX"],
    ["ReadWriteMany", "RWX"],
    ["ReadWriteOncePod", "RWOP"],
  ];
  return short
    .filter(([mode]) => set.has(mode))
    .map(([, abbreviation]) => abbreviation)
    .join(",");
}

/** The beta storage-class annotation wins over spec.storageClassName, as in the real helper. */
const storageClass = (o: KubeObject, spec: Json): string =>
  o.metadata.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? str(spec.storageClassName);

/** A resource.Quantity prints "0" when absent. */
const quantity = (v: unknown): string => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : "0");

function pvRow(pv: KubeObject, now: number): PrintedRow {
  const spec = rec(pv.spec);
  const claim =
    spec.claimRef === undefined || spec.claimRef === null ? "" : `${str(rec(spec.claimRef).namespace)}/${str(rec(spec.claimRef).name)}`;
  const phase = pv.metadata.deletionTimestamp !== undefined ? "Terminating" : str(rec(pv.status).phase);
  return {
    cells: [
      nameOf(pv),
      quantity(rec(spec.capacity).storage),
      accessModes(spec.accessModes),
      str(spec.persistentVolumeReclaimPolicy),
      phase,
      claim,
      storageClass(pv, spec),
      str(spec.volumeAttributesClassName) || "<unset>",
      str(rec(pv.status).reason),
      age(pv, now),
      str(spec.volumeMode) || "<unset>",
    ],
  };
}

const pvPrinter: BuiltinPrinter = {
  columns: [
    NAME_COLUMN,
    column("Capacity", "string", "capacity is the description of the persistent volume's resources and capacity."),
    column("Access Modes", "string", "accessModes contains all ways the volume can be mounted."),
    column(
      "Reclaim Policy",
      "string",
      "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.",
    ),
    column("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
    column("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
    column("StorageClass", "string", "StorageClass of the pv"),
    column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
    column(
      "Reason",
      "string",
      "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.",
    ),
    AGE_COLUMN,
    column(
      "VolumeMode",
      "string",
      "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.",
      {
        priority: 1,
      },
    ),
  ],
  row: pvRow,
};

function pvcRow(pvc: KubeObject, now: number): PrintedRow {
  const spec = rec(pvc.spec);
  const status = rec(pvc.status);
  const bound = str(spec.volumeName) !== "";
  return {
    cells: [
      nameOf(pvc),
      pvc.metadata.deletionTimestamp !== undefined ? "Terminating" : str(status.phase),
      str(spec.volumeName),
      bound ? quantity(rec(status.capacity).storage) : "",
      bound ? accessModes(status.accessModes) : "",
      storageClass(pvc, spec),
      str(spec.volumeAttributesClassName) || "<unset>",
      age(pvc, now),
      str(spec.volumeMode) || "<unset>",
    ],
  };
}

const pvcPrinter: BuiltinPrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", "string", "phase represents the current phase of PersistentVolumeClaim."),
    column("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim."),
    column("Capacity", "string", "capacity represents the actual resources of the underlying volume."),
    column("Access Modes", "string", "accessModes contains the actual access modes the volume backing the PVC has."),
    column("StorageClass", "string", "StorageClass of the pvc"),
    column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
    AGE_COLUMN,
    column("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim.", { priority: 1 }),
  ],
  row: pvcRow,
};

const count = (v: unknown): number => Object.keys(rec(v)).length;

const configMapPrinter: BuiltinPrinter = {
  columns: [NAME_COLUMN, column("Data", "string", "Data contains the configuration data."), AGE_COLUMN],
  row: (cm, now) => ({ cells: [nameOf(cm), count(cm.data) + count(cm.binaryData), age(cm, now)] }),
};

const secretPrinter: BuiltinPrinter = {
  columns: [
    NAME_COLUMN,
    column("Type", "string", "Used to facilitate programmatic handling of secret data."),
    column("Data", "string", "Data contains the secret data."),
    AGE_COLUMN,
  ],
  row: (secret, now) => ({ cells: [nameOf(secret), str(secret.type), count(secret.data), age(secret, now)] }),
};

const leasePrinter: BuiltinPrinter = {
  columns: [NAME_COLUMN, column("Holder", "string", "holderIdentity contains the identity of the holder of a current lease."), AGE_COLUMN],
  row: (lease, now) => ({ cells: [nameOf(lease), str(rec(lease.spec).holderIdentity), age(lease, now)] }),
};

const volumeAttachmentPrinter: BuiltinPrinter = {
  columns: [
    NAME_COLUMN,
    column("Attacher", "string", "attacher indicates the name of the volume driver that MUST handle this request.", { format: "name" }),
    column("PV", "string", "persistentVolumeName represents the name of the persistent volume to attach."),
    column("Node", "string", "nodeName represents the node that the volume should be attached to."),
    column("Attached", "boolean", "attached indicates the volume is successfully attached."),
    AGE_COLUMN,
  ],
  row: (va, now) => {
    const spec = rec(va.spec);
    return {
      cells: [
        nameOf(va),
        str(spec.attacher),
        str(rec(spec.source).persistentVolumeName),
        str(spec.nodeName),
        rec(va.status).attached === true,
        age(va, now),
      ],
    };
  },
};

const PRINTERS: Record<string, BuiltinPrinter> = {
  "/nodes": nodePrinter,
  "/pods": podPrinter,
  "/namespaces": namespacePrinter,
  "/persistentvolumes": pvPrinter,
  "/persistentvolumeclaims": pvcPrinter,
  "/events": eventPrinter,
  "events.k8s.io/events": eventPrinter,
  "/configmaps": configMapPrinter,
  "/secrets": secretPrinter,
  "coordination.k8s.io/leases": leasePrinter,
  "storage.k8s.io/volumeattachments": volumeAttachmentPrinter,
};

/** The real printer of a built-in group/resource, or undefined where the server uses its default NAME/CREATED AT table. */
export function builtinPrinter(group: string, resource: string): BuiltinPrinter | undefined {
  return PRINTERS[`${group}/${resource}`];
}
