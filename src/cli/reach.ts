import type { ReachTarget } from "../engine/ports.js";
import { checkCluster } from "../preflight/cluster-check.js";
import { checkHost } from "../preflight/host-check.js";

const REACH_TIMEOUT_MS = 15_000;

/** Before the first step, each target is reached as `recover check` does: login, host key, sudo; the cluster answering. */
export const reachTarget: ReachTarget = async (name, target, transport) => {
  if (target.kind === "local") return;
  if (target.kind === "ssh" && !target.become) {
    const result = await transport.exec({ command: { argv: ["true"] }, timeoutMs: REACH_TIMEOUT_MS, readOnly: true });
    if (result.exitCode !== 0) throw new Error(`ssh ${target.host}: \`true\` exited ${result.exitCode}`);
    return;
  }
  const outcome =
    target.kind === "ssh" ? await checkHost(name, transport, REACH_TIMEOUT_MS) : await checkCluster(transport, REACH_TIMEOUT_MS);
  if (!outcome.ok) throw new Error(outcome.detail);
};
