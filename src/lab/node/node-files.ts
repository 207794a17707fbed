import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { GUARD_LOG, GUARDED_COMMANDS, renderGuardScript } from "./guard-script.js";
import { LAB_ID_FILE } from "./namespace.js";
import { NODE_OVERLAYS, type NodeLayout } from "./node-layout.js";
import { initialServices, renderServices, renderSystemctlScript, SERVICES_FILE } from "./systemctl-script.js";
import { type NodeDiskLink, renderUdevadmScript } from "./udevadm-script.js";

/** Where the node's sshd reads the lab user's keys: the node's /etc, readable through the overlay whatever the lab directory's modes. */
export const AUTHORIZED_KEYS_FILE = "/etc/recover-lab/authorized_keys";

export interface NodeFilesInput {
  labId: string;
  node: string;
  /** k3s1 is the server (k3s), the others agents (k3s-agent). */
  server: boolean;
  fstab: string;
  /** The node's /etc/hosts: the host's, plus every lab node by name (sudo resolves its own hostname). */
  hosts: string;
  disks: readonly (NodeDiskLink & { mount: string })[];
  authorizedKeys: string[];
}

/**
 * Writes what a node starts with into its overlay upper directories (before they are mounted):
 * /etc (fstab, hostname, the lab's id, keys and services), /usr/local (the shims), /var/lib
 * (longhorn, the guard's log) and the /mnt/longhorn mount points.
 */
export async function writeNodeFiles(layout: NodeLayout, input: NodeFilesInput): Promise<void> {
  for (const dir of NODE_OVERLAYS) {
    await mkdir(layout.upper(dir), { recursive: true, mode: 0o755 });
    await mkdir(layout.work(dir), { recursive: true, mode: 0o700 });
  }
  const at = (file: string): string => path.join(layout.upper("/"), file);
  const write = async (file: string, text: string, mode = 0o644): Promise<void> => {
    await mkdir(path.dirname(at(file)), { recursive: true, mode: 0o755 });
    await writeFile(at(file), text, { mode });
    await chmod(at(file), mode);
  };
  await write("/etc/fstab", input.fstab);
  await write("/etc/hostname", `${input.node}\n`);
  await write("/etc/hosts", input.hosts);
  await write(LAB_ID_FILE, `${input.labId}\n`);
  await write(AUTHORIZED_KEYS_FILE, input.authorizedKeys.map((k) => `${k.trim()}\n`).join(""));
  await write(SERVICES_FILE, renderServices(initialServices(input.server)));
  await write("/usr/local/bin/systemctl", renderSystemctlScript(input.node), 0o755);
  await write("/usr/local/sbin/udevadm", renderUdevadmScript(input.node, input.disks), 0o755);
  const guard = renderGuardScript(
    input.node,
    input.disks.map((d) => d.loop),
  );
  for (const command of GUARDED_COMMANDS) await write(`/usr/local/sbin/${command}`, guard, 0o755);
  await write(GUARD_LOG, "");
  await mkdir(at("/var/lib/longhorn"), { recursive: true, mode: 0o755 });
  for (const disk of input.disks) await mkdir(at(disk.mount), { recursive: true, mode: 0o755 });
}
