import { writeFile } from "node:fs/promises";
import net from "node:net";
import { run } from "../host/run.js";
import { freePort } from "../sshd/free-port.js";
import { LAB_SSH_USER } from "../sshd/lab-users.js";
import { type SshdServer, startSshd } from "../sshd/server.js";
import type { LabSystem } from "../sshd/system-setup.js";
import { identify } from "../state/process-identity.js";
import type { StateRecorder } from "../state/recorder.js";
import { type NodeNamespaces, nsenterArgs, startNamespaces } from "./namespace.js";
import { AUTHORIZED_KEYS_FILE } from "./node-files.js";
import type { NodeLayout } from "./node-layout.js";

/** A running lab node: its namespaces and the sshd inside them. */
export interface RunningNode {
  name: string;
  address: string;
  namespaces: NodeNamespaces;
  sshd: SshdServer;
}

/** Port 22 when this address has it free (a real node's port), else any free port. */
async function sshPort(address: string): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ host: address, port: 22, exclusive: true }, () => server.close(() => resolve(true)));
  });
  return free ? 22 : freePort(address);
}

/**
 * Starts a node whose files are written (writeNodeFiles): its namespaces, the setup script
 * inside them, then its sshd entered into them (sessions inherit the namespaces). Each process
 * is recorded in state.json before it starts.
 */
export async function startNode(
  recorder: StateRecorder,
  input: { name: string; address: string; layout: NodeLayout; setupScript: string; system: LabSystem; authorizedKeys: string[] },
): Promise<RunningNode> {
  const { name, layout } = input;
  await recorder.record({ kind: "namespace", id: `namespace:${name}`, node: name });
  const namespaces = await startNamespaces(name);
  await recorder.complete(`namespace:${name}`, { holder: namespaces.holder, mntNs: namespaces.mntNs });
  await writeFile(layout.setupScript, input.setupScript, { mode: 0o755 });
  await run("nsenter", [...nsenterArgs(namespaces.holder.pid), "/bin/sh", layout.setupScript]);
  // sshd re-executes itself by absolute path: nsenter gives it /usr/sbin/sshd inside the node.
  await writeFile(layout.sshdLauncher, `#!/bin/sh\nexec nsenter ${nsenterArgs(namespaces.holder.pid).join(" ")} /usr/sbin/sshd "$@"\n`, {
    mode: 0o755,
  });
  await recorder.record({ kind: "process", id: `sshd:${name}`, role: `sshd of ${name}` });
  const sshd = await startSshd({
    address: input.address,
    port: await sshPort(input.address),
    authorizedKeys: input.authorizedKeys,
    users: [LAB_SSH_USER],
    parentDir: layout.root,
    system: { ...input.system, sshd: layout.sshdLauncher },
    // sshd keeps a keyword's first value: the node's own keys file wins over the server directory's.
    extraConfig: [`AuthorizedKeysFile ${AUTHORIZED_KEYS_FILE}`, "MaxSessions 20"],
  });
  const identity = sshd.pid === undefined ? undefined : await identify(sshd.pid);
  await recorder.complete(`sshd:${name}`, identity ? { process: identity } : {});
  return { name, address: input.address, namespaces, sshd };
}
