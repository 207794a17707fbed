import { readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";

/** Host key algorithms the lab generates (ssh-keygen -t). */
export type HostKeyAlgorithm = "ed25519" | "ecdsa" | "rsa";

/** One host key of an sshd: the private file sshd reads and its public line. */
export interface SshdHostKey {
  algorithm: HostKeyAlgorithm;
  privateFile: string;
  /** Key type as known_hosts and SSH name it: "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa". */
  type: string;
  /** Base64 public key blob. */
  base64: string;
}

/** Generates fresh host keys in `dir` with ssh-keygen (per run: never the machine's own keys). */
export async function generateHostKeys(dir: string, algorithms: HostKeyAlgorithm[]): Promise<SshdHostKey[]> {
  return Promise.all(
    algorithms.map(async (algorithm) => {
      const privateFile = path.join(dir, `ssh_host_${algorithm}_key`);
      const bits = algorithm === "rsa" ? ["-b", "2048"] : [];
      await execa("ssh-keygen", ["-q", "-t", algorithm, ...bits, "-N", "", "-C", "recover-lab", "-f", privateFile]);
      return readHostKey(algorithm, privateFile);
    }),
  );
}

/** Reads the public half that ssh-keygen wrote beside a private host key. */
export async function readHostKey(algorithm: HostKeyAlgorithm, privateFile: string): Promise<SshdHostKey> {
  const [type = "", base64 = ""] = (await readFile(`${privateFile}.pub`, "utf8")).trim().split(/\s+/);
  return { algorithm, privateFile, type, base64 };
}
