/**
 * What `GET /version` answers. The kubectl on these machines is a dispatcher that runs
 * `kubectl.1.<minor>` by this answer, so the minor decides which client talks to the lab.
 */

/** The Kubernetes minor version the emulator claims to be. */
export const EMULATED_MINOR = "32";

/** The emulated release, spelled like a k3s build (the lab stands in for a k3s cluster). */
export const EMULATED_GIT_VERSION = `v1.${EMULATED_MINOR}.5+k3s1`;

/** The /version body: Kubernetes 1.32 with every field the real server sends (version.Info). */
export function versionInfo(): Record<string, string> {
  return {
    major: "1",
    minor: EMULATED_MINOR,
    gitVersion: EMULATED_GIT_VERSION,
    // Not a real k3s commit: the emulator has no build to point at.
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2025-05-20T00:00:00Z",
    goVersion: "go1.23.8",
    compiler: "gc",
    platform: "linux/amd64",
  };
}
