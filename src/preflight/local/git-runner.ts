import type { Transport } from "../../transports/types.js";
import type { GitRunner } from "./finding.js";

/** `git -C DIR …` through the local transport (the one way recover starts a process), read-only, bounded. */
export function gitRunner(local: Transport, dir: string, timeoutMs = 15_000): GitRunner {
  return async (args) => {
    const result = await local.exec({ command: { argv: ["git", "-C", dir, ...args] }, readOnly: true, timeoutMs });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  };
}
