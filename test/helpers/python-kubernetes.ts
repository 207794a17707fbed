import { execa } from "execa";

/** Debian's Python, the one Debian's python3-kubernetes installs into (a pyenv python3 on PATH would not see it). */
export const DEBIAN_PYTHON = "/usr/bin/python3";

async function importable(): Promise<boolean> {
  const result = await execa(DEBIAN_PYTHON, ["-c", "import kubernetes"], { reject: false });
  return result.exitCode === 0;
}

/**
 * Makes the official Python client importable: installs Debian's python3-kubernetes with apt-get
 * when it is missing and we are root, as the SSH lab's setup installs openssh-server. Throws (so
 * the client tests fail, never skip) when it cannot.
 */
export async function ensurePythonKubernetes(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<void> {
  if (await importable()) return;
  if (process.getuid?.() !== 0)
    throw new Error("python3-kubernetes is missing and this is not root: run `apt-get install python3-kubernetes` first");
  log("installing python3-kubernetes (the official Python client) with apt-get");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => execa("apt-get", ["install", "-y", "--no-install-recommends", "python3-kubernetes"], { env, reject: false });
  if ((await install()).exitCode !== 0) {
    await execa("apt-get", ["update"], { env });
    await execa("apt-get", ["install", "-y", "--no-install-recommends", "python3-kubernetes"], { env });
  }
  if (!(await importable())) throw new Error(`python3-kubernetes installed but ${DEBIAN_PYTHON} cannot import kubernetes`);
}
