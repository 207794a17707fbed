/**
 * Where a data disk may be mounted. A runbook rewrites the fstab line of every inventory mount and
 * wipes what is behind it, so `/`, a system mount point, or a path outside the data-disk prefixes
 * must never reach it (a `mount: /` would have its fstab entry replaced).
 */

/** System directories: never a data-disk mount, nor a prefix, nor below one of the first group. */
const SYSTEM_TREES = ["/boot", "/dev", "/etc", "/proc", "/run", "/sys", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
const SYSTEM_MOUNTS = [
  "/",
  "/home",
  "/root",
  "/tmp",
  "/opt",
  "/var",
  "/var/lib",
  "/var/log",
  "/var/tmp",
  "/var/cache",
  "/var/lib/kubelet",
  "/var/lib/rancher",
  "/var/lib/containerd",
  "/var/lib/docker",
];

const segments = (path: string): string[] => path.split("/").filter((s) => s !== "");
const below = (path: string, dir: string): boolean => dir === "/" || path.startsWith(`${dir}/`);

/** Why a path is a system location (or has `.`/`..` segments), or undefined. */
function systemProblem(path: string): string | undefined {
  if (segments(path).some((s) => s === "." || s === "..")) return "has a . or .. segment";
  if (path === "/") return "is the root filesystem";
  if (SYSTEM_MOUNTS.includes(path)) return "is a system mount point";
  const tree = SYSTEM_TREES.find((t) => path === t || below(path, t));
  if (tree) return `lies in ${tree}, a system directory`;
  return undefined;
}

/** A configured prefix that would let a system path through. */
export function prefixProblem(prefix: string): string | undefined {
  return systemProblem(prefix);
}

/** Why `mount` cannot be a data-disk mount under `prefixes`, or undefined when it can. */
export function mountProblem(mount: string, prefixes: readonly string[]): string | undefined {
  const system = systemProblem(mount);
  if (system) return system;
  if (!prefixes.some((p) => below(mount, p))) return `is not below a data-disk prefix (${prefixes.join(", ")})`;
  return undefined;
}
