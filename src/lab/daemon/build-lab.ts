import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { makeClientKey, writeSshClientFiles } from "../access/ssh-client.js";
import { randomNames } from "../cluster/names.js";
import { type PlannedVolume, planVolumes } from "../cluster/volume-plan.js";
import { buildLabRepo, type LabRepo } from "../gitops/build-repo.js";
import { readRepoObjects } from "../gitops/repo-objects.js";
import { claimAddresses } from "../host/claims.js";
import type { KubeApi } from "../kube-api/index.js";
import { type LabModel, labModel } from "../model/lab-model.js";
import type { RunningNode } from "../node/start-node.js";
import type { LabSystem } from "../sshd/system-setup.js";
import type { StateRecorder } from "../state/recorder.js";
import { type BuiltDisk, buildDisks } from "./build-disks.js";
import { buildNodes, diskFacts } from "./build-nodes.js";
import { kubeconfigPath, startCluster } from "./start-cluster.js";

/** A lab whose processes run in this (the daemon's) process tree. */
export interface RunningLab {
  model: LabModel;
  disks: Map<string, BuiltDisk>;
  nodes: RunningNode[];
  volumes: PlannedVolume[];
  repo: LabRepo;
  api: KubeApi;
  /** Stops the sshds, ends the namespaces' holders and the emulator; loop devices and files are `down`'s. */
  close(): Promise<void>;
}

/** Processes started so far, so a build that fails halfway stops them. */
interface Started {
  nodes: RunningNode[];
  api?: KubeApi;
}

async function closeStarted(started: Started): Promise<void> {
  await Promise.allSettled(started.nodes.map((n) => n.sshd.stop()));
  for (const node of started.nodes) node.namespaces.child.stdin?.end();
  await started.api?.close();
}

/** /dev/disk, where udev would keep it: made (and recorded) when this machine has none, as the nodes mount their own over it. */
async function ensureDevDisk(recorder: StateRecorder): Promise<void> {
  if (existsSync("/dev/disk")) return;
  await recorder.record({ kind: "host-dir", id: "host-dir:/dev/disk", path: "/dev/disk" });
  await mkdir("/dev/disk", { mode: 0o755 });
}

/**
 * Builds the whole lab, recording each thing in state.json before making it: addresses, disks,
 * nodes (namespaces, sshd), the client's ssh files, the GitOps remote and clone, the cluster.
 */
export async function buildLab(recorder: StateRecorder, system: LabSystem, log: (line: string) => void): Promise<RunningLab> {
  const { dir, id, options } = recorder.current;
  const started: Started = { nodes: [] };
  try {
    await ensureDevDisk(recorder);
    const addresses = await claimAddresses(
      options.nodes,
      { dir, id },
      {
        record: (address, claim) => recorder.record({ kind: "claim", id: `claim:${address}`, address, path: claim }),
        forget: (address) => recorder.forget(`claim:${address}`),
      },
    );
    const model = labModel(dir, options, addresses);
    log(`addresses: ${model.nodes.map((n) => `${n.name} ${n.address}`).join(", ")}`);
    const disks = await buildDisks(recorder, model);
    log(`disks: ${[...disks.values()].map((d) => `${d.disk.node}/${d.disk.name}=${d.loop}`).join(" ")}`);
    const volumes = planVolumes(model, randomNames);
    const client = await makeClientKey(path.join(dir, "ssh"));
    started.nodes = await buildNodes(recorder, model, { disks, volumes, system, publicKey: client.publicKey });
    await writeSshClientFiles(
      client,
      started.nodes.map((n) => ({ alias: n.name, address: n.address, port: n.sshd.port, hostKeys: [...n.sshd.hostKeys] })),
    );
    log(`nodes: ${started.nodes.map((n) => `${n.name} sshd ${n.address}:${n.sshd.port} pid ${n.sshd.pid}`).join(", ")}`);
    const repo = await buildLabRepo(model);
    log(`gitops: ${repo.clone} (origin ${repo.remote})`);
    const api = await startCluster(
      addresses[0] as string,
      {
        model,
        disks: await diskFacts(started.nodes, disks),
        volumes,
        fluxObjects: await readRepoObjects(repo.clone),
        commit: repo.commit,
        now: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      },
      kubeconfigPath(dir),
    );
    started.api = api;
    log(`cluster: ${api.url}`);
    await recorder.addFacts({
      nodes: started.nodes.map((n) => ({
        name: n.name,
        address: n.address,
        sshPort: n.sshd.port,
        disks: [...disks.values()]
          .filter((d) => d.disk.node === n.name)
          .map((d) => ({ name: d.disk.name, byId: d.disk.byId, loop: d.loop, sizeBytes: d.disk.sizeBytes, mount: d.disk.mount })),
      })),
      apiUrl: api.url,
      kubeconfig: kubeconfigPath(dir),
      sshConfig: client.configFile,
      knownHosts: client.knownHostsFile,
      gitopsClone: repo.clone,
      gitRemote: repo.remote,
      inventory: repo.inventory,
    });
    return { model, disks, nodes: started.nodes, volumes, repo, api, close: () => closeStarted(started) };
  } catch (error) {
    await closeStarted(started);
    throw error;
  }
}
