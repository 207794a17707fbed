import path from "node:path";

/**
 * The host directories a node sees as its own: each is an overlay over the host's directory,
 * whose writes land in the node's folder of the lab. /etc holds the node's fstab (and the lab's
 * files for its sshd and services), /var/lib its /var/lib/longhorn, /mnt its /mnt/longhorn mount
 * points, /usr/local the lab's shims (first in PATH and in sudo's secure_path).
 */
export const NODE_OVERLAYS = ["/etc", "/var/lib", "/mnt", "/usr/local"] as const;

/** Where a node's private files live under the lab directory. */
export interface NodeLayout {
  root: string;
  /** Overlay upper and work directories by the directory they cover. */
  upper(dir: string): string;
  work(dir: string): string;
  /** The setup script run in the node's namespaces, and the sshd launcher that enters them. */
  setupScript: string;
  sshdLauncher: string;
}

const flat = (dir: string): string => dir.replace(/^\//, "").replaceAll("/", "-");

export function nodeLayout(labDir: string, node: string): NodeLayout {
  const root = path.join(labDir, "nodes", node);
  return {
    root,
    upper: (dir) => path.join(root, "root", dir),
    work: (dir) => path.join(root, "work", flat(dir)),
    setupScript: path.join(root, "setup.sh"),
    sshdLauncher: path.join(root, "sshd-in-node"),
  };
}

/** Directories a lab may not live under: the node overlays would cover their own layers. */
export function labDirProblem(dir: string): string | undefined {
  if (/[\s,:]/.test(dir)) return "it holds a space, comma or colon (the node overlays' mount options cannot carry them)";
  for (const covered of [...NODE_OVERLAYS, "/dev", "/proc", "/sys", "/run"]) {
    const rel = path.relative(covered, dir);
    if (rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel)))
      return `it lies under ${covered}, which each lab node overlays or the kernel owns`;
  }
  return undefined;
}
