import { readFile, statfs } from "node:fs/promises";
import type { DiskFacts } from "../cluster/seed-input.js";
import type { PlannedVolume } from "../cluster/volume-plan.js";
import type { LabModel, LabNode } from "../model/lab-model.js";
import { renderFstab } from "../node/fstab.js";
import { writeNodeFiles } from "../node/node-files.js";
import { nodeLayout } from "../node/node-layout.js";
import { renderSetupScript } from "../node/setup-script.js";
import { type RunningNode, startNode } from "../node/start-node.js";
import type { LabSystem } from "../sshd/system-setup.js";
import type { StateRecorder } from "../state/recorder.js";
import type { BuiltDisk } from "./build-disks.js";

/** longhorn-disk.cfg as Longhorn's disk monitor writes it (util.DiskConfig; shared/domain: longhorn-disk.cfg). */
export function diskConfigText(diskName: string, diskUUID: string): string {
  return JSON.stringify({ diskName, diskUUID, diskDriver: "", state: "ready" });
}

interface NodeBuildContext {
  disks: Map<string, BuiltDisk>;
  volumes: PlannedVolume[];
  system: LabSystem;
  publicKey: string;
  hosts: string;
}

async function buildNode(recorder: StateRecorder, node: LabNode, index: number, context: NodeBuildContext): Promise<RunningNode> {
  const state = recorder.current;
  const layout = nodeLayout(state.dir, node.name);
  const built = node.disks.map((d) => context.disks.get(`${node.name}/${d.name}`) as BuiltDisk);
  await writeNodeFiles(layout, {
    labId: state.id,
    node: node.name,
    server: index === 0,
    fstab: renderFstab(
      node.name,
      built.map((b) => ({ uuid: b.fsUuid, mount: b.disk.mount })),
    ),
    hosts: context.hosts,
    disks: built.map((b) => ({ byId: b.disk.byId, loop: b.loop, mount: b.disk.mount })),
    authorizedKeys: [context.publicKey],
  });
  const replicaDirs = (disk: string) =>
    context.volumes.flatMap((v) => v.replicas.filter((r) => r.node === node.name && r.disk === disk).map((r) => r.dataDirectoryName));
  const setupScript = renderSetupScript(
    node.name,
    layout,
    built.map((b) => ({
      name: b.disk.name,
      mount: b.disk.mount,
      diskConfig: diskConfigText(b.disk.name, b.diskUUID),
      replicaDirs: replicaDirs(b.disk.name),
    })),
  );
  return startNode(recorder, {
    name: node.name,
    address: node.address,
    layout,
    setupScript,
    system: context.system,
    authorizedKeys: [context.publicKey],
  });
}

/** Every node, in parallel. */
export async function buildNodes(
  recorder: StateRecorder,
  model: LabModel,
  context: Omit<NodeBuildContext, "hosts">,
): Promise<RunningNode[]> {
  const hostHosts = await readFile("/etc/hosts", "utf8").catch(() => "127.0.0.1\tlocalhost\n");
  const hosts = `${hostHosts.trimEnd()}\n# recover lab nodes\n${model.nodes.map((n) => `${n.address}\t${n.name}\n`).join("")}`;
  return Promise.all(model.nodes.map((node, index) => buildNode(recorder, node, index, { ...context, hosts })));
}

const HUNDRED_MIB = 100 * 1024 * 1024;

/** What Longhorn reads of each mounted disk: its UUID and the filesystem's size, seen inside the node (/proc/<holder>/root). */
export async function diskFacts(nodes: readonly RunningNode[], disks: Map<string, BuiltDisk>): Promise<Map<string, DiskFacts>> {
  const facts = new Map<string, DiskFacts>();
  for (const [key, built] of disks) {
    const node = nodes.find((n) => n.name === built.disk.node) as RunningNode;
    const stats = await statfs(`/proc/${node.namespaces.holder.pid}/root${built.disk.mount}`);
    facts.set(key, {
      diskUUID: built.diskUUID,
      storageMaximum: stats.blocks * stats.bsize,
      // Longhorn rounds a filesystem disk's free space down to 100 MiB (updateReadyDiskStatusReadyCondition).
      storageAvailable: Math.floor((stats.bavail * stats.bsize) / HUNDRED_MIB) * HUNDRED_MIB,
    });
  }
  return facts;
}
