import { BecomeError } from "../transports/errors.js";
import type { Transport } from "../transports/types.js";
import { type CheckOutcome, errorDetail } from "./outcome.js";

/**
 * Logs in to a node and becomes root the way runbook steps do (`become: sudo`): proves the alias
 * resolves, the host key is known, a key is accepted and sudo works without a password.
 */
export async function checkHost(node: string, become: Transport, timeoutMs: number): Promise<CheckOutcome> {
  const subject = `node ${node}`;
  try {
    const result = await become.exec({ command: { argv: ["id", "-un"] }, timeoutMs, readOnly: true });
    const user = result.stdout.trim();
    if (result.exitCode === 0 && user === "root") return { subject, ok: true, detail: `ssh ${become.name}: logged in, sudo gives root` };
    return { subject, ok: false, detail: `ssh ${become.name}: sudo did not give root (${user || result.stderr.trim()})` };
  } catch (error) {
    const what = error instanceof BecomeError ? "logged in, but sudo failed" : "cannot log in";
    return { subject, ok: false, detail: `ssh ${become.name}: ${what}: ${errorDetail(error)}` };
  }
}
