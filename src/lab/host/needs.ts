import { existsSync } from "node:fs";
import { ExitCode, RecoverError } from "../../errors.js";
import { ensureLabSystem, installPackages, type LabSystem } from "../sshd/system-setup.js";

/** The machine cannot run a lab and recover may not fix it (not root, no apt-get): exit 2 with the exact command. */
export class LabNeedsError extends RecoverError {
  override readonly exitCode = ExitCode.InvalidInput;
  constructor(
    message: string,
    /** The command that fixes it, printed for the operator to run. */
    readonly fix: string,
  ) {
    super(`${message}\n  run: ${fix}`);
  }
}

/** A command the lab runs on the host or inside a node, and the Debian package that ships it. */
const COMMANDS: [string, string][] = [
  ["sshd", "openssh-server"],
  ["ssh-keygen", "openssh-client"],
  ["sudo", "sudo"],
  ["parted", "parted"],
  ["partprobe", "parted"],
  ["sgdisk", "gdisk"],
  ["mkfs.ext4", "e2fsprogs"],
  ["losetup", "mount"],
  ["mount", "mount"],
  ["unshare", "util-linux"],
  ["nsenter", "util-linux"],
  ["wipefs", "util-linux"],
  ["lsblk", "util-linux"],
  ["blkid", "util-linux"],
  ["findmnt", "util-linux"],
  // disk-prepare names who holds a busy disk with fuser.
  ["fuser", "psmisc"],
  ["git", "git"],
];

/** Drives the lab's cluster for runbooks, drills and probes; Debian's own package is far too old (1.20). */
const KUBECTL_FIX = "install kubectl (https://kubernetes.io/docs/tasks/tools/), then run the same command again";

const BIN_DIRS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

const installed = (command: string): boolean => BIN_DIRS.some((dir) => existsSync(`${dir}/${command}`));

/** On PATH or in a system bin directory (kubectl is often in ~/bin or /usr/local/bin). */
const onPath = (command: string): boolean =>
  installed(command) || (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(`${dir}/${command}`));

/** The Debian packages whose commands are missing, each once, in a stable order. */
export function missingPackages(isInstalled: (command: string) => boolean = installed): string[] {
  return [...new Set(COMMANDS.filter(([command]) => !isInstalled(command)).map(([, pkg]) => pkg))];
}

/** The lab is driven with the real kubectl, which apt-get cannot provide: a LabNeedsError saying where to get it. */
export function requireKubectl(isInstalled: (command: string) => boolean = onPath): void {
  if (!isInstalled("kubectl"))
    throw new LabNeedsError("recover lab needs kubectl: runbooks, drills and their probes drive the lab's cluster with it", KUBECTL_FIX);
}

/** Root, for loop devices, namespaces and sshd; a LabNeedsError with the sudo command otherwise. */
export function requireRoot(commandLine: string): void {
  if (process.getuid?.() !== 0)
    throw new LabNeedsError(
      "recover lab needs root: it attaches loop devices, makes mount namespaces and starts sshd servers",
      `sudo ${commandLine}`,
    );
}

export interface NeedsOptions {
  /** The command line to repeat under sudo when not root (what the operator typed). */
  commandLine: string;
  log: (line: string) => void;
}

/**
 * Makes sure this machine can run a lab: root (loop devices, namespaces, mounts), the packages
 * above (installed with apt-get when root and missing, saying so), kubectl, then the SSH lab's users
 * and sudoers (ensureLabSystem). Otherwise a LabNeedsError with the exact command to run.
 */
export async function ensureLabNeeds(options: NeedsOptions): Promise<LabSystem> {
  requireRoot(options.commandLine);
  requireKubectl();
  const missing = missingPackages();
  if (missing.length > 0) {
    if (!installed("apt-get"))
      throw new LabNeedsError(
        `recover lab needs these packages: ${missing.join(", ")}`,
        `install ${missing.join(" ")} with your package manager`,
      );
    await installPackages(missing, (line) => options.log(line.replace(/^recover lab: /, "")), "recover lab needs them");
    const still = missingPackages();
    if (still.length > 0) throw new LabNeedsError(`apt-get did not provide ${still.join(", ")}`, `apt-get install -y ${still.join(" ")}`);
  }
  return ensureLabSystem({ log: (line) => options.log(line.replace(/^recover lab: /, "")) });
}
