import { readdir } from "node:fs/promises";
import path from "node:path";
import { run } from "../host/run.js";
import { nsenterArgs } from "../node/namespace.js";
import type { RunningNode } from "../node/start-node.js";
import type { BuiltDisk } from "./build-disks.js";

const POLL_MS = 500;

/** The partitions the kernel shows for a loop device (/sys/class/block/loopN/loopNp*). */
async function partitions(loop: string): Promise<string> {
  const name = path.basename(loop);
  return (await readdir(`/sys/class/block/${name}`).catch(() => []))
    .filter((e) => e.startsWith(`${name}p`))
    .sort()
    .join(",");
}

/**
 * udev's part in a node (there is none in the lab): when a lab disk's partitions change (a
 * runbook's parted, wipefs, partprobe), run the node's udevadm trigger so its by-id `-partN`
 * links follow, shortly after, as they would on a real node. Returns a stop function.
 */
export function watchPartitions(
  nodes: readonly RunningNode[],
  disks: Map<string, BuiltDisk>,
  onError: (message: string) => void,
): () => void {
  const last = new Map<string, string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    for (const node of nodes) {
      const loops = [...disks.values()].filter((d) => d.disk.node === node.name).map((d) => d.loop);
      const seen = (await Promise.all(loops.map(partitions))).join(";");
      if (last.has(node.name) && last.get(node.name) !== seen && !stopped)
        await run("nsenter", [...nsenterArgs(node.namespaces.holder.pid), "/usr/local/sbin/udevadm", "trigger"]).catch((e: Error) =>
          onError(`udev of ${node.name}: ${e.message}`),
        );
      last.set(node.name, seen);
    }
    if (!stopped) timer = setTimeout(tick, POLL_MS);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
