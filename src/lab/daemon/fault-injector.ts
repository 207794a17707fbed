import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import { LONGHORN_NS, managerPodsOf, volumes } from "../controllers/longhorn/objects.js";
import { describeFault, type LabFault } from "../faults/lab-fault.js";
import { git } from "../gitops/git.js";
import { nsenterArgs } from "../node/namespace.js";
import type { RunningNode } from "../node/start-node.js";
import { SERVICES_FILE } from "../node/systemctl-script.js";
import { identify } from "../state/process-identity.js";
import type { StateRecorder } from "../state/recorder.js";
import type { RunningLab } from "./build-lab.js";

/** The seeded workload using the attached Longhorn volume (cluster/workload-objects.ts). */
const WORKLOAD = "prometheus";

/** A fault in force, and how to take it back when it can be. */
interface ActiveFault {
  id: number;
  fault: LabFault;
  description: string;
  undo?: () => Promise<void>;
}

export interface FaultInfo {
  id: number;
  description: string;
  undoable: boolean;
}

export type SshdState = "running" | "frozen" | "down";

/** How many patches the disks-syncing fault refuses: fewer than a runbook's retries, more than one. */
const DISKS_SYNCING_TIMES = 3;

/** Rewrites one unit's line of the node's simulated services (what its systemctl answers). */
async function setService(node: RunningNode, unit: string, state: "active" | "inactive"): Promise<void> {
  const file = `/proc/${node.namespaces.holder.pid}/root${SERVICES_FILE}`;
  const lines = (await readFile(file, "utf8")).split("\n").filter((l) => l && !l.startsWith(`${unit} `));
  await writeFile(file, `${[...lines, `${unit} ${state}`].join("\n")}\n`);
}

/** Sets spec.suspend: false on the child Kustomization's manifest in Git, committed and pushed as the operator would. */
async function unsuspendInGit(lab: RunningLab, child: string): Promise<string> {
  const dir = lab.model.dir;
  const work = await mkdtemp(path.join(dir, "fault-git-"));
  try {
    await git(dir, work, ["clone", "--quiet", lab.repo.remote, "."]);
    const clusters = path.join(work, "clusters", "k3s-flux");
    for (const name of await readdir(clusters)) {
      const file = path.join(clusters, name);
      if (!name.endsWith(".yaml")) continue;
      const doc = parseDocument(await readFile(file, "utf8"));
      if (doc.getIn(["kind"]) !== "Kustomization" || doc.getIn(["metadata", "name"]) !== child) continue;
      doc.setIn(["spec", "suspend"], false);
      await writeFile(file, doc.toString());
      await git(dir, work, ["commit", "--quiet", "-am", `${child}: declare suspend: false (recover lab fault parent-unsuspends)`]);
      await git(dir, work, ["push", "--quiet", "origin", "HEAD:main"]);
      return (await git(dir, work, ["rev-parse", "HEAD"])).trim();
    }
    throw new Error(`no Kustomization ${child} under clusters/k3s-flux in the lab's Git`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Injects faults into the running lab and takes them back (`recover lab fault`, `lab up --fault`,
 * drills). Processes it starts (the busy disk's holder) are recorded in state.json first.
 */
export class FaultInjector {
  private readonly active: ActiveFault[] = [];
  private nextId = 1;
  /** Longhorn Node CRs whose deletion the finalizer-returns fault holds (read by the node controller). */
  readonly stuckFinalizers = new Set<string>();

  constructor(
    private readonly lab: RunningLab,
    private readonly recorder: StateRecorder,
    readonly sshdStates: Map<string, SshdState>,
  ) {}

  list(): FaultInfo[] {
    return this.active.map((f) => ({ id: f.id, description: f.description, undoable: f.undo !== undefined }));
  }

  private node(name: string): RunningNode {
    const node = this.lab.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name} in this lab (${this.lab.nodes.map((n) => n.name).join(", ")})`);
    return node;
  }

  private diskMount(node: string, disk: string): string {
    const found = this.lab.model.nodes.find((n) => n.name === node)?.disks.find((d) => d.name === disk);
    if (!found)
      throw new Error(
        `no disk ${disk} on ${node} (${this.lab.model.nodes
          .find((n) => n.name === node)
          ?.disks.map((d) => d.name)
          .join(", ")})`,
      );
    return found.mount;
  }

  async inject(fault: LabFault): Promise<FaultInfo> {
    const undo = await this.apply(fault);
    const active: ActiveFault = { id: this.nextId++, fault, description: describeFault(fault), ...(undo ? { undo } : {}) };
    this.active.push(active);
    return { id: active.id, description: active.description, undoable: undo !== undefined };
  }

  /** Takes back one fault (or all); faults that changed data (a cfg file, a Git commit) stay and are only forgotten. */
  async clear(id?: number): Promise<string[]> {
    const chosen = this.active.filter((f) => id === undefined || f.id === id);
    if (id !== undefined && chosen.length === 0) throw new Error(`no active fault ${id}`);
    const done: string[] = [];
    for (const f of chosen.reverse()) {
      await f.undo?.();
      this.active.splice(this.active.indexOf(f), 1);
      done.push(`${f.undo ? "undid" : "forgot"} ${f.description}`);
    }
    return done;
  }

  private async apply(fault: LabFault): Promise<(() => Promise<void>) | undefined> {
    switch (fault.kind) {
      case "sshd-down": {
        const node = this.node(fault.node);
        await node.sshd.down();
        this.sshdStates.set(node.name, "down");
        return async () => {
          await node.sshd.up();
          const me = node.sshd.pid === undefined ? undefined : await identify(node.sshd.pid);
          if (me) await this.recorder.complete(`sshd:${node.name}`, { process: me });
          this.sshdStates.set(node.name, "running");
        };
      }
      case "sshd-frozen": {
        const node = this.node(fault.node);
        await node.sshd.freeze();
        this.sshdStates.set(node.name, "frozen");
        return async () => {
          await node.sshd.thaw();
          this.sshdStates.set(node.name, "running");
        };
      }
      case "disk-busy":
        return this.holdBusy(fault.node, fault.disk);
      case "disk-cfg-empty":
      case "disk-cfg-braces": {
        const node = this.node(fault.node);
        const file = `/proc/${node.namespaces.holder.pid}/root${this.diskMount(fault.node, fault.disk)}/longhorn-disk.cfg`;
        await writeFile(file, fault.kind === "disk-cfg-empty" ? "" : "{}");
        return undefined;
      }
      case "disk-uuid-empty":
        await this.diskUuidEmpty(fault.node, fault.disk);
        return undefined;
      case "iscsid-inactive": {
        const node = this.node(fault.node);
        await setService(node, "iscsid", "inactive");
        return () => setService(node, "iscsid", "active");
      }
      case "push-rejected": {
        const hook = path.join(this.lab.repo.remote, "hooks", "pre-receive");
        await writeFile(hook, '#!/bin/sh\necho "recover lab: the remote rejects every push (fault push-rejected)" >&2\nexit 1\n', {
          mode: 0o755,
        });
        return () => rm(hook, { force: true });
      }
      case "api-error":
      case "api-hang": {
        const handle = this.lab.api.control.inject({
          path: fault.path,
          times: Number.POSITIVE_INFINITY,
          ...(fault.kind === "api-error" ? { status: 500, message: "recover lab fault api-error" } : { hang: true }),
        });
        return async () => handle.clear();
      }
      case "disks-syncing": {
        // What longhorn-manager's node webhook answers while a disk's spec and status differ (#4192).
        this.node(fault.node);
        const handle = this.lab.api.control.inject({
          method: "PATCH",
          path: `/apis/longhorn.io/v1beta2/namespaces/longhorn-system/nodes/${fault.node}`,
          times: DISKS_SYNCING_TIMES,
          status: 403,
          message: `admission webhook "validator.longhorn.io" denied the request: spec and status of disks on node ${fault.node} are being syncing and please retry later.`,
        });
        return async () => handle.clear();
      }
      case "parent-unsuspends":
        await unsuspendInGit(this.lab, fault.child);
        return undefined;
      case "manager-restart": {
        this.node(fault.node);
        const client = this.lab.api.client("recover-lab-fault");
        for (const pod of managerPodsOf(client, fault.node))
          client.resource("v1", "Pod").delete(pod, LONGHORN_NS, { gracePeriodSeconds: 0 });
        return undefined;
      }
      case "volume-faulted": {
        const client = this.lab.api.client("longhorn-manager");
        const volume = volumes(client).tryGet(fault.volume, LONGHORN_NS);
        if (!volume) throw new Error(`no Longhorn volume ${fault.volume} (kubectl -n longhorn-system get volumes.longhorn.io)`);
        volumes(client).updateStatus({
          ...volume,
          status: { ...(volume.status ?? {}), state: "detached", robustness: "faulted", currentNodeID: "" },
        });
        return undefined;
      }
      case "finalizer-returns":
        return this.finalizerReturns(fault.node);
      case "workload-on":
        return this.workloadOn(fault.node);
    }
  }

  /** A controller putting `longhorn.io` back on the node's CR whenever it is stripped, and the node controller keeping it on deletion. */
  private finalizerReturns(node: string): () => Promise<void> {
    this.node(node);
    this.stuckFinalizers.add(node);
    const stop = this.lab.api.startController({
      name: "recover-lab-fault",
      keysFor: (change) =>
        change.resource.group === "longhorn.io" && change.resource.resource === "nodes" && change.object.metadata.name === node
          ? [node]
          : [],
      initialKeys: () => [node],
      reconcile(name, { client }) {
        const nodes = client.resource("longhorn.io/v1beta2", "Node");
        const cr = nodes.tryGet(name, LONGHORN_NS);
        if (!cr || cr.metadata.deletionTimestamp || cr.metadata.finalizers?.includes("longhorn.io")) return;
        nodes.patch(name, LONGHORN_NS, { metadata: { finalizers: [...(cr.metadata.finalizers ?? []), "longhorn.io"] } });
      },
    });
    return async () => {
      stop();
      this.stuckFinalizers.delete(node);
    };
  }

  /**
   * #6790 (shared/domain/longhorn-flux.md): `{}` in the disk's longhorn-disk.cfg, then the disk's
   * entry in the Longhorn Node replaced by one under a new key, as a recovery re-adding disks does
   * (scheduling off first, as the webhook demands): Longhorn reads the file afresh and accepts an
   * empty diskUUID; replicas scheduled there cannot start. The disk must hold no replica.
   */
  private async diskUuidEmpty(nodeName: string, disk: string): Promise<void> {
    const node = this.node(nodeName);
    const mount = this.diskMount(nodeName, disk);
    const client = this.lab.api.client("recover-lab-fault");
    const nodes = client.resource("longhorn.io/v1beta2", "Node");
    const cr = nodes.tryGet(nodeName, LONGHORN_NS);
    const disks = ((cr?.spec as { disks?: Record<string, { path?: string }> } | undefined)?.disks ?? {}) as Record<
      string,
      { path?: string }
    >;
    const key = Object.keys(disks).find((k) => disks[k]?.path === mount);
    if (!cr || !key)
      throw new Error(
        `Longhorn has no disk at ${mount} on ${nodeName} (kubectl -n longhorn-system get nodes.longhorn.io ${nodeName} -o yaml)`,
      );
    await writeFile(`/proc/${node.namespaces.holder.pid}/root${mount}/longhorn-disk.cfg`, "{}");
    nodes.patch(nodeName, LONGHORN_NS, { spec: { disks: { [key]: { allowScheduling: false } } } });
    const fresh = `${disk}-${randomBytes(4).toString("hex")}`;
    nodes.patch(nodeName, LONGHORN_NS, {
      spec: {
        disks: {
          [key]: null,
          [fresh]: { path: mount, allowScheduling: true, evictionRequested: false, storageReserved: 0, tags: [], diskType: "filesystem" },
        },
      },
    });
  }

  /**
   * Pins the workload's StatefulSet to the node (nodeSelector on its hostname) and deletes its pod,
   * as a rollout would: the lab's StatefulSet controller starts it there and attaches its volume
   * (longhorn-node preflight's "a pod using a Longhorn volume on the node", the drain drill). Undo
   * drops the pin; the pod stays where it runs.
   */
  private async workloadOn(node: string): Promise<() => Promise<void>> {
    this.node(node);
    const client = this.lab.api.client("recover-lab-fault");
    const sets = client.resource("apps/v1", "StatefulSet");
    const set = sets.list().find((s) => s.metadata.name === WORKLOAD);
    if (!set) throw new Error(`no StatefulSet ${WORKLOAD} in this lab (kubectl get statefulsets -A)`);
    const namespace = set.metadata.namespace as string;
    const pin = (selector: Record<string, string> | null) =>
      sets.patch(WORKLOAD, namespace, { spec: { template: { spec: { nodeSelector: selector } } } });
    pin({ "kubernetes.io/hostname": node });
    if (client.resource("v1", "Pod").tryGet(`${WORKLOAD}-0`, namespace))
      client.resource("v1", "Pod").delete(`${WORKLOAD}-0`, namespace, { gracePeriodSeconds: 0 });
    return async () => {
      pin(null);
    };
  }

  /** A process inside the node whose working directory is the disk's mount: `umount` says "target is busy". */
  private async holdBusy(nodeName: string, disk: string): Promise<() => Promise<void>> {
    const node = this.node(nodeName);
    const mount = this.diskMount(nodeName, disk);
    const id = `process:busy:${nodeName}/${disk}`;
    await this.recorder.record({ kind: "process", id, role: `holder of ${nodeName}:${mount}` });
    const child: ChildProcess = spawn(
      "nsenter",
      [...nsenterArgs(node.namespaces.holder.pid), "/bin/sh", "-c", 'cd "$1" && exec sleep 2147483647', "busy", mount],
      {
        stdio: "ignore",
      },
    );
    const me = child.pid === undefined ? undefined : await identify(child.pid);
    if (me) await this.recorder.complete(id, { process: me });
    return async () => {
      child.kill("SIGKILL");
      await this.recorder.forget(id);
    };
  }
}
