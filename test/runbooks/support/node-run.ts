// Everything a longhorn-node run needs, on this machine: a real sshd host "k3s1" with loop-device
// disks (host-disks.ts), the emulator with Longhorn's webhook and the simulated Longhorn and Flux,
// a GitOps clone with a bare remote (the inventory pointing at all of it), and the engine run in
// this process with the Git checkpoint module (recording its commits), so a test can look inside.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import type { EngineEvent } from "../../../src/engine/events.js";
import type { RunResult } from "../../../src/engine/run-plan.js";
import type { RunState } from "../../../src/engine/run-state.js";
import { type KubeObject, type LonghornVersion, longhornNodeValidator } from "../../../src/lab/kube-api/index.js";
import type { Transport } from "../../../src/transports/types.js";
import type { memoryJournal } from "../../engine/scripted.js";
import { ROOT } from "../../helpers/cli.js";
import { startTestKubeApi, type TestKubeApi } from "../../helpers/kube-api.js";
import type { SshHarness } from "../../helpers/sshd.js";
import { fluxObject, startFakeFlux } from "./fake-flux.js";
import { lh, startFakeLonghorn } from "./fake-longhorn.js";
import { type HostDisks, makeHostDisks } from "./host-disks.js";
import { runInProcess } from "./in-process.js";
import { gitopsRepo, TestCheckpoints } from "./test-checkpoints.js";

export const FLUX = [
  { kind: "Kustomization", name: "flux-system" },
  { kind: "Kustomization", name: "infrastructure-storage", parent: "flux-system" },
  { kind: "Kustomization", name: "monitoring", parent: "flux-system" },
  { kind: "HelmRelease", name: "longhorn", namespace: "longhorn-system", parent: "infrastructure-storage" },
] as const;

export interface NodeLab {
  kube: TestKubeApi;
  disks: HostDisks;
  clone: string;
  remote: string;
  checkpoints: TestCheckpoints;
  events: EngineEvent[];
  /** Runs longhorn-node k3s1 (or another runbook) in this process, or resumes it from `resume`. */
  run(extra?: {
    resume?: RunState;
    onEvent?: (e: EngineEvent) => void;
    runbook?: string;
    args?: string[];
    param?: string[];
    shims?: boolean;
  }): Promise<RunResult & { journal: ReturnType<typeof memoryJournal> }>;
  get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined;
  close(): Promise<void>;
}

const defaultDisks = (disks: HostDisks) =>
  JSON.stringify(disks.disks.map((d) => ({ name: d.name, path: d.mount, allowScheduling: true, storageReserved: 0, tags: [] })));

/** The GitOps fixture adapted to this machine's test disks and the emulator. */
function writeGitops(dir: string, disks: HostDisks, kubeconfig: string): string {
  const source = path.join(dir, "source");
  execFileSync("cp", ["-r", path.join(ROOT, "fixtures", "gitops"), source]);
  const inventoryFile = path.join(source, "recover", "inventory.yaml");
  const inventory = parse(readFileSync(inventoryFile, "utf8"));
  inventory.cluster = { name: "lab", context: "lab", kubeconfig };
  inventory.mountPrefixes = [disks.mountPrefix];
  inventory.nodes.k3s1.disks = disks.disks.map((d) => ({
    name: d.name,
    device: d.device,
    size: d.size,
    partition: 1,
    mount: d.mount,
    filesystem: "ext4",
  }));
  inventory.nodes.k3s2.disks = [];
  writeFileSync(inventoryFile, stringify(inventory));
  const nodeFile = path.join(source, "infrastructure", "k3s1-node-config", "k3s1-node.yaml");
  const node = parse(readFileSync(nodeFile, "utf8"));
  node.spec.disks = Object.fromEntries(
    disks.disks.map((d) => [
      d.name,
      { path: d.mount, diskType: "filesystem", allowScheduling: true, evictionRequested: false, storageReserved: 0, tags: [] },
    ]),
  );
  writeFileSync(nodeFile, stringify(node));
  const labelsFile = path.join(source, "infrastructure", "k3s1-node-config", "k3s1-labels.yaml");
  const labels = parse(readFileSync(labelsFile, "utf8"));
  labels.metadata.annotations["node.longhorn.io/default-disks-config"] = defaultDisks(disks);
  writeFileSync(labelsFile, stringify(labels));
  return source;
}

function seed(disks: HostDisks): KubeObject[] {
  const now = new Date().toISOString();
  const ready = [{ type: "Ready", status: "True", reason: "KubeletReady", lastTransitionTime: now }];
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "longhorn-system" } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "flux-system" } },
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: "k3s1",
        labels: { storage: "longhorn", "node.longhorn.io/create-default-disk": "config" },
        annotations: { "node.longhorn.io/default-disks-config": defaultDisks(disks) },
      },
      status: { conditions: ready },
    } as KubeObject,
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "k3s2", labels: { storage: "longhorn" } },
      status: { conditions: ready },
    } as KubeObject,
    lh("Node", "k3s1", {
      spec: {
        name: "k3s1",
        allowScheduling: true,
        evictionRequested: false,
        tags: [],
        disks: Object.fromEntries(
          disks.disks.map((d) => [
            d.name,
            { path: d.mount, diskType: "filesystem", allowScheduling: true, evictionRequested: false, storageReserved: 0, tags: [] },
          ]),
        ),
      },
    }),
    lh("Node", "k3s2", {
      spec: {
        name: "k3s2",
        allowScheduling: true,
        disks: { sdb1: { path: "/mnt/longhorn/sdb1", diskType: "filesystem", allowScheduling: true, storageReserved: 0 } },
      },
    }),
    lh("Volume", "pvc-data", { spec: { numberOfReplicas: 2, size: "1073741824" }, status: { state: "detached", robustness: "healthy" } }),
    lh(
      "Replica",
      "pvc-data-r-1",
      {
        spec: {
          nodeID: "k3s1",
          diskID: disks.disks[0]?.oldDiskUuid,
          diskPath: disks.disks[0]?.mount,
          volumeName: "pvc-data",
          volumeSize: "1073741824",
        },
      },
      { longhornnode: "k3s1", longhornvolume: "pvc-data" },
    ),
    lh(
      "Replica",
      "pvc-data-r-2",
      {
        spec: { nodeID: "k3s2", diskID: "k3s2-sdb1", diskPath: "/mnt/longhorn/sdb1", volumeName: "pvc-data", volumeSize: "1073741824" },
      },
      { longhornnode: "k3s2", longhornvolume: "pvc-data" },
    ),
    lh("InstanceManager", "instance-manager-k3s1", { spec: { nodeID: "k3s1" }, status: { currentState: "running" } }),
    lh("EngineImage", "ei-v1.9.2", { spec: { image: "longhornio/longhorn-engine:v1.9.2" }, status: { state: "deployed" } }),
    lh("Setting", "current-longhorn-version", { value: "v1.9.2" }),
    lh("Setting", "replica-soft-anti-affinity", { value: "true" }),
    lh("Setting", "create-default-disk-labeled-nodes", { value: "true" }),
    ...FLUX.map((o) => fluxObject(o.kind, "namespace" in o ? o.namespace : "flux-system", o.name)),
  ];
}

/** A simulated `systemctl` first in the node's PATH: iscsid active (no systemd runs on this test machine). */
function nodeShell(transport: Transport, shims: string): Transport {
  return {
    kind: transport.kind,
    name: transport.name,
    close: () => transport.close(),
    exec: (request) =>
      transport.exec(
        "script" in request.command
          ? { ...request, command: { script: `PATH=${shims}:$PATH; export PATH\n${request.command.script}` } }
          : request,
      ),
  };
}

export async function startNodeLab(ssh: SshHarness, options: { longhorn: LonghornVersion }): Promise<NodeLab> {
  const dir = await mkdtemp(path.join(tmpdir(), "recover-node-lab-"));
  const disks = makeHostDisks(["sdf1", "sdg1", "sdh1"]);
  let kube: TestKubeApi | undefined;
  try {
    kube = await startTestKubeApi();
    kube.api.admission.register(longhornNodeValidator({ version: options.longhorn }));
    await kube.api.control.load(seed(disks));
    startFakeLonghorn(kube.api, {
      hostNode: "k3s1",
      virtualDisks: { k3s2: { "/mnt/longhorn/sdb1": { uuid: "k3s2-sdb1", size: 100 * 1024 ** 3 } } },
      evictTo: { node: "k3s2", path: "/mnt/longhorn/sdb1" },
    });
    startFakeFlux(kube.api);
    const shims = path.join(disks.base, "shims");
    mkdirSync(shims);
    writeFileSync(path.join(shims, "systemctl"), '#!/bin/sh\ncase "$1" in is-active) echo active ;; esac\n');
    chmodSync(shims, 0o755);
    chmodSync(path.join(shims, "systemctl"), 0o755);
    const { clone, remote } = gitopsRepo(dir, writeGitops(dir, disks, kube.kubeconfig));
    const checkpoints = new TestCheckpoints(clone);
    const events: EngineEvent[] = [];
    const kubeEnv = { ...process.env, KUBECACHEDIR: path.join(dir, "kube-cache"), HOME: dir };
    const started = kube;
    const client = started.api.client("test");
    return {
      kube: started,
      disks,
      clone,
      remote,
      checkpoints,
      events,
      async run(extra = {}) {
        const runbook = extra.runbook ?? "longhorn-node";
        return runInProcess({
          runbook,
          args: extra.args ?? ["k3s1"],
          param: extra.param ?? (runbook === "longhorn-node" ? [`fstab=${disks.fstab}`] : []),
          gitops: clone,
          checkpoints,
          env: kubeEnv,
          ssh: (target) =>
            extra.shims === false
              ? ssh.transport(target.kind === "ssh" ? target.host : "", { become: "sudo" })
              : nodeShell(ssh.transport(target.kind === "ssh" ? target.host : "", { become: "sudo" }), shims),
          ...(extra.resume ? { resume: extra.resume } : {}),
          onEvent: (e) => {
            events.push(e);
            extra.onEvent?.(e);
          },
        });
      },
      get: (apiVersion, kind, name, namespace) => client.resource(apiVersion, kind).tryGet(name, namespace),
      async close() {
        await started.close();
        disks.cleanup();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await kube?.close();
    disks.cleanup();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
