import { InputError } from "../../errors.js";

/**
 * A fault a drill injects into a running lab (`recover lab fault KIND [TARGET]`, `lab up --fault
 * KIND=TARGET`), each one a way a real recovery goes wrong (shared/domain/longhorn-flux.md).
 */
export type LabFault =
  /** The node's sshd stops (a node that is down): runbooks see connection refused. */
  | { kind: "sshd-down"; node: string }
  /** The node's sshd and its sessions freeze (SIGSTOP): a host that stops answering mid-step. */
  | { kind: "sshd-frozen"; node: string }
  /** A process holds a file open on the disk's mount: `umount` fails with "target is busy". */
  | { kind: "disk-busy"; node: string; disk: string }
  /** longhorn-disk.cfg is emptied: NoDiskInfo "unexpected end of JSON input". */
  | { kind: "disk-cfg-empty"; node: string; disk: string }
  /** longhorn-disk.cfg holds `{}` (the folklore's fix): an empty diskUUID. */
  | { kind: "disk-cfg-braces"; node: string; disk: string }
  /** `systemctl is-active iscsid` answers inactive (longhorn-node's iscsi step). */
  | { kind: "iscsid-inactive"; node: string }
  /** The Git remote's pre-receive hook refuses every push (a checkpoint's push fails). */
  | { kind: "push-rejected" }
  /** The API answers 500 on a path (until cleared). */
  | { kind: "api-error"; path: string }
  /** The API never answers on a path (until cleared). */
  | { kind: "api-hang"; path: string }
  /** A parent Kustomization declares its child with `suspend: false` in Git: Flux undoes a manual suspend. */
  | { kind: "parent-unsuspends"; child: string }
  /** The node's longhorn-manager pod restarts: a deleted Node CR comes back, with default disks (1.9). */
  | { kind: "manager-restart"; node: string }
  /** A volume turns faulted (longhorn-node's preflight refuses to evict then). */
  | { kind: "volume-faulted"; volume: string }
  /** The `longhorn.io` finalizer of a Longhorn Node CR is put back whenever it is removed. */
  | { kind: "finalizer-returns"; node: string }
  /** The webhook refuses the next 3 patches of the Longhorn Node CR: "spec and status of disks … are being syncing" (#4192). */
  | { kind: "disks-syncing"; node: string }
  /**
   * Longhorn #6790: `{}` in the disk's longhorn-disk.cfg and the disk registered afresh under a
   * new key (as re-adding disks does): Longhorn accepts it with an empty diskUUID, and replicas
   * scheduled there fail with "missing parameters for replica instance creation".
   */
  | { kind: "disk-uuid-empty"; node: string; disk: string }
  /** The workload (prometheus, with a Longhorn volume) is pinned to the node and restarted there: its volume attaches there. */
  | { kind: "workload-on"; node: string };

export type LabFaultKind = LabFault["kind"];

const NODE_FAULTS = [
  "sshd-down",
  "sshd-frozen",
  "iscsid-inactive",
  "manager-restart",
  "finalizer-returns",
  "disks-syncing",
  "workload-on",
] as const;
const DISK_FAULTS = ["disk-busy", "disk-cfg-empty", "disk-cfg-braces", "disk-uuid-empty"] as const;
const PATH_FAULTS = ["api-error", "api-hang"] as const;

/** Every kind with the target it takes, for help and errors. */
export const FAULT_USAGE: Record<LabFaultKind, string> = {
  "sshd-down": "NODE",
  "sshd-frozen": "NODE",
  "iscsid-inactive": "NODE",
  "disk-busy": "NODE/DISK",
  "disk-cfg-empty": "NODE/DISK",
  "disk-cfg-braces": "NODE/DISK",
  "disk-uuid-empty": "NODE/DISK",
  "push-rejected": "",
  "api-error": "PATH",
  "api-hang": "PATH",
  "parent-unsuspends": "KUSTOMIZATION",
  "manager-restart": "NODE",
  "volume-faulted": "VOLUME",
  "finalizer-returns": "NODE",
  "disks-syncing": "NODE",
  "workload-on": "NODE",
};

const usage = (): string =>
  Object.entries(FAULT_USAGE)
    .map(([kind, target]) => (target ? `${kind} ${target}` : kind))
    .join(", ");

/** Reads `KIND TARGET` (the CLI's two words, or `KIND=TARGET` of --fault); an InputError naming every kind when it is not one. */
export function parseFault(kind: string, target: string | undefined): LabFault {
  const need = (what: string): string => {
    if (!target) throw new InputError(`fault ${kind} needs a ${what}`, `faults: ${usage()}`);
    return target;
  };
  if ((NODE_FAULTS as readonly string[]).includes(kind)) return { kind: kind as (typeof NODE_FAULTS)[number], node: need("NODE (k3s1)") };
  if ((DISK_FAULTS as readonly string[]).includes(kind)) {
    const [node, disk, extra] = need("NODE/DISK (k3s1/sdf1)").split("/");
    if (!node || !disk || extra !== undefined) throw new InputError(`fault ${kind} ${target}: expected NODE/DISK, e.g. k3s1/sdf1`);
    return { kind: kind as (typeof DISK_FAULTS)[number], node, disk };
  }
  if ((PATH_FAULTS as readonly string[]).includes(kind)) {
    const path = need("PATH (/apis/…)");
    if (!path.startsWith("/"))
      throw new InputError(
        `fault ${kind} ${path}: the path starts with /, e.g. /apis/longhorn.io/v1beta2/namespaces/longhorn-system/nodes/k3s1`,
      );
    return { kind: kind as (typeof PATH_FAULTS)[number], path };
  }
  if (kind === "push-rejected") return { kind };
  if (kind === "parent-unsuspends") return { kind, child: need("KUSTOMIZATION (monitoring)") };
  if (kind === "volume-faulted") return { kind, volume: need("VOLUME (kubectl -n longhorn-system get volumes.longhorn.io)") };
  throw new InputError(`no fault ${JSON.stringify(kind)}`, `faults: ${usage()}`);
}

/** `--fault KIND=TARGET` of `lab up`. */
export function parseFaultFlag(flag: string): LabFault {
  const eq = flag.indexOf("=");
  return eq < 0 ? parseFault(flag, undefined) : parseFault(flag.slice(0, eq), flag.slice(eq + 1));
}

/** One line naming a fault (status, the CLI's answer). */
export function describeFault(fault: LabFault): string {
  const target =
    "node" in fault
      ? "disk" in fault
        ? `${fault.node}/${fault.disk}`
        : fault.node
      : "path" in fault
        ? fault.path
        : "child" in fault
          ? fault.child
          : "";
  return target ? `${fault.kind} ${target}` : fault.kind;
}
