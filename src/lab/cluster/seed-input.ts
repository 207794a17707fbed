import type { KubeObject } from "../kube-api/index.js";
import type { LabModel } from "../model/lab-model.js";
import type { NameSource } from "./names.js";
import type { PlannedVolume } from "./volume-plan.js";

/** What Longhorn knows of a disk it registered: the UUID in its longhorn-disk.cfg and the filesystem's size. */
export interface DiskFacts {
  diskUUID: string;
  storageMaximum: number;
  storageAvailable: number;
}

/** Everything the first state of the lab's cluster is built from; no I/O happens past this point. */
export interface SeedInput {
  model: LabModel;
  /** By `node/disk` (k3s1/sdf1). */
  disks: Map<string, DiskFacts>;
  volumes: PlannedVolume[];
  /** Flux objects as they are in Git (the seed adds their status). */
  fluxObjects: KubeObject[];
  /** The commit main points at (Flux's revision). */
  commit: string;
  now: string;
  names: NameSource;
}

export const diskKey = (node: string, disk: string): string => `${node}/${disk}`;

export { longhornImage } from "../objects/longhorn-image.js";

/** A status condition as Longhorn and Kubernetes write them. */
export function condition(
  type: string,
  status: "True" | "False" | "Unknown",
  now: string,
  reason = "",
  message = "",
): Record<string, unknown> {
  return { type, status, lastProbeTime: "", lastTransitionTime: now, reason, message };
}

/**
 * Pods' terminationGracePeriodSeconds: Kubernetes' 30 s, shortened by the lab's --speed like the
 * controllers' delays (a deleted pod stays Terminating that long, kubelet simulation).
 */
export const gracePeriodSeconds = (speed: number): number => Math.max(1, Math.round(30 / speed));
