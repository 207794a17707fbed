import * as z from "zod";
import { API_VERSION } from "../source/api-version.js";

/** Absolute, no empty segment or trailing slash, only characters that need no quoting anywhere (fstab, shell, JSON); `/` passes here to be refused by name. */
export const MOUNT_PATH = /^\/$|^(\/[A-Za-z0-9._@+-]+)+$/;

/** Where data disks are mounted by default: a mount must lie strictly below one of these. */
export const DEFAULT_MOUNT_PREFIXES = ["/mnt", "/media", "/srv", "/data", "/var/lib/longhorn"];

const k8sName = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Kubernetes object name");

// Kubernetes label syntax; it also keeps a label, passed to kubectl, from being read as an option.
const labelKey = z
  .string()
  .regex(
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    "must be a Kubernetes label key ([prefix/]name)",
  );
const labelValue = z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, "must be a Kubernetes label value");

export const diskSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][-a-z0-9]*$/, "must be lowercase letters, digits and dashes"),
    device: z
      .string()
      .regex(/^\/dev\/\S+$/, "must be a device path, best a stable /dev/disk/by-id/… name")
      .describe("Whole-disk device, by-id so it survives renumbering."),
    serial: z.string().optional().describe("Expected serial number (lsblk -o SERIAL); checked before any wipe."),
    size: z.number().int().positive().optional().describe("Expected size in bytes (lsblk -b -o SIZE)."),
    partition: z.number().int().min(1).max(128).default(1),
    mount: z
      .string()
      .regex(MOUNT_PATH, "must be an absolute path of plain names (letters, digits, . _ - @ +), with no trailing /")
      .describe("Where the disk's filesystem is mounted: strictly below one of mountPrefixes, never a system mount point."),
    filesystem: z.enum(["ext4", "xfs"]).default("ext4"),
  })
  .describe("A data disk Longhorn uses on a node.");

export const nodeSchema = z.strictObject({
  ssh: z
    .strictObject({
      host: z.string().describe("OpenSSH host alias or address."),
      user: z.string().optional(),
      port: z.number().int().min(1).max(65535).optional(),
    })
    .describe("How to reach the node."),
  labels: z
    .record(labelKey, labelValue)
    .optional()
    .describe("Kubernetes node labels Longhorn needs (label syntax: a value never starts with -)."),
  longhorn: z
    .strictObject({
      nodeConfig: z.string().optional().describe("The node's Longhorn Node CR manifest in the GitOps repo."),
      labelsConfig: z
        .string()
        .optional()
        .describe("A Kubernetes Node manifest in the GitOps repo holding the node's labels and Longhorn's default-disks annotation."),
    })
    .optional(),
  disks: z.array(diskSchema).default([]),
});

export const fluxObjectSchema = z.strictObject({
  kind: z.enum(["Kustomization", "HelmRelease"]),
  name: k8sName,
  namespace: k8sName.default("flux-system"),
  parent: z.string().optional().describe("name (or namespace/name) of the Kustomization that applies this object."),
});

export const inventorySchema = z
  .strictObject({
    $schema: z.string().optional(),
    apiVersion: z.literal(API_VERSION),
    kind: z.literal("Inventory"),
    cluster: z.strictObject({
      name: z.string(),
      context: z.string().optional(),
      kubeconfig: z.string().optional(),
    }),
    gitops: z
      .strictObject({
        path: z
          .string()
          .default("..")
          .describe("The GitOps checkout, relative to this file's folder (default: its parent, for recover/inventory.yaml)."),
        remote: z.string().default("origin").describe("Git remote name or URL that checkpoints push to."),
        branch: z.string().default("main"),
        push: z.boolean().default(true),
      })
      .prefault({}),
    mountPrefixes: z
      .array(z.string().regex(MOUNT_PATH, "must be an absolute path of plain names, with no trailing /"))
      .min(1)
      .default(DEFAULT_MOUNT_PREFIXES)
      .describe("Directories data-disk mounts must lie strictly below (default /mnt, /media, /srv, /data, /var/lib/longhorn)."),
    nodes: z.record(k8sName, nodeSchema),
    flux: z.array(fluxObjectSchema).default([]).describe("Objects to suspend during a recovery, parents first."),
  })
  .describe("What recover knows about a cluster: nodes, their disks, Flux objects, the GitOps repo.");

export type Inventory = z.infer<typeof inventorySchema>;
export type InventoryNode = z.infer<typeof nodeSchema>;
export type InventoryDisk = z.infer<typeof diskSchema>;
