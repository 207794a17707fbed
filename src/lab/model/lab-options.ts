import { InputError } from "../../errors.js";

/** What `recover lab up` builds. */
export interface LabOptions {
  /** Nodes k3s1…k3sN, each a real sshd in its own namespaces. */
  nodes: number;
  /** Loop-device disks per node. */
  disks: number;
  /** Longhorn version the cluster runs (CRDs, settings, HelmRelease chart version). */
  version: string;
  /** How much faster than the real controllers the simulated ones act (drills use 10 or more). */
  speed: number;
}

export const DEFAULT_LAB_OPTIONS: LabOptions = { nodes: 2, disks: 3, version: "1.9.2", speed: 1 };

const LIMITS = { nodes: [1, 9], disks: [1, 8] } as const;

function count(flag: "nodes" | "disks", value: string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const [min, max] = LIMITS[flag];
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`--${flag} ${value}: expected a whole number from ${min} to ${max}`);
  return n;
}

/** Checks the flags of `lab up`; every value the lab relies on is settled here. */
export function parseLabOptions(raw: {
  nodes?: string | number;
  disks?: string | number;
  version?: string;
  speed?: string | number;
}): LabOptions {
  const version = (raw.version ?? DEFAULT_LAB_OPTIONS.version).replace(/^v/, "");
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new InputError(`--version ${raw.version}: expected a Longhorn version like 1.9.2`);
  const speed = raw.speed === undefined ? DEFAULT_LAB_OPTIONS.speed : Number(raw.speed);
  if (!Number.isFinite(speed) || speed < 1 || speed > 1000) throw new InputError(`--speed ${raw.speed}: expected a number from 1 to 1000`);
  return {
    nodes: count("nodes", raw.nodes, DEFAULT_LAB_OPTIONS.nodes),
    disks: count("disks", raw.disks, DEFAULT_LAB_OPTIONS.disks),
    version,
    speed,
  };
}
