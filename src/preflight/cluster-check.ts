import type { Transport } from "../transports/types.js";
import { type CheckOutcome, errorDetail } from "./outcome.js";

interface VersionJson {
  serverVersion?: { gitVersion?: string };
}

/** Asks the cluster for its version through the kubectl transport: proves kubeconfig, context, network and credentials. */
export async function checkCluster(kubectl: Transport, timeoutMs: number): Promise<CheckOutcome> {
  const subject = `cluster ${kubectl.name}`;
  try {
    const result = await kubectl.exec({ command: { argv: ["version", "-o", "json"] }, timeoutMs, readOnly: true });
    const version = (result.json as VersionJson | undefined)?.serverVersion?.gitVersion;
    if (result.exitCode === 0 && version) return { subject, ok: true, detail: `server ${version}` };
    const said = result.stderr.trim().split("\n").at(-1) ?? "";
    return { subject, ok: false, detail: `${result.reason ?? "no server version"}: ${said}` };
  } catch (error) {
    return { subject, ok: false, detail: errorDetail(error) };
  }
}
