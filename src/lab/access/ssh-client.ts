import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { run } from "../host/run.js";
import { LAB_SSH_USER } from "../sshd/lab-users.js";

/** How the operator's side of a lab reaches its nodes: a key, an ssh config and known_hosts, all in DIR/ssh. */
export interface SshClientFiles {
  dir: string;
  keyFile: string;
  publicKey: string;
  configFile: string;
  knownHostsFile: string;
}

/** Makes the lab's user key (ed25519, no passphrase: the lab is disposable and loopback-only). */
export async function makeClientKey(dir: string): Promise<SshClientFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyFile = path.join(dir, "id_ed25519");
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "recover-lab", "-f", keyFile]);
  const publicKey = (await readFile(`${keyFile}.pub`, "utf8")).trim();
  return { dir, keyFile, publicKey, configFile: path.join(dir, "config"), knownHostsFile: path.join(dir, "known_hosts") };
}

export interface SshHostEntry {
  alias: string;
  address: string;
  port: number;
  /** `type base64` of each host key. */
  hostKeys: { type: string; base64: string }[];
}

/** `Host k3s1` blocks as an operator writes them, so `ssh -F DIR/ssh/config k3s1` and the runbooks' aliases work. */
export function renderSshConfig(files: SshClientFiles, hosts: readonly SshHostEntry[]): string {
  return [
    "# recover lab: how to reach the lab's nodes (ssh -F this file k3s1).",
    ...hosts.flatMap((h) => [
      `Host ${h.alias}`,
      `  HostName ${h.address}`,
      `  Port ${h.port}`,
      `  User ${LAB_SSH_USER}`,
      `  IdentityFile ${files.keyFile}`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${files.knownHostsFile}`,
      "  GlobalKnownHostsFile /dev/null",
      "  StrictHostKeyChecking yes",
      "",
    ]),
  ].join("\n");
}

/** known_hosts lines naming each node by alias and by address, as OpenSSH checks them. */
export function renderKnownHosts(hosts: readonly SshHostEntry[]): string {
  return hosts
    .flatMap((h) => {
      const names = [h.alias, h.port === 22 ? h.address : `[${h.address}]:${h.port}`].join(",");
      return h.hostKeys.map((k) => `${names} ${k.type} ${k.base64}\n`);
    })
    .join("");
}

export async function writeSshClientFiles(files: SshClientFiles, hosts: readonly SshHostEntry[]): Promise<void> {
  await writeFile(files.configFile, renderSshConfig(files, hosts), { mode: 0o600 });
  await writeFile(files.knownHostsFile, renderKnownHosts(hosts), { mode: 0o600 });
}
