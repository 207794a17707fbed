import { LabSetupError } from "../../src/lab/sshd/errors.js";
import { ensureLabSystem } from "../../src/lab/sshd/system-setup.js";

/**
 * vitest globalSetup: prepares the SSH lab once (apt-get install openssh-server sudo on a fresh
 * machine, lab users, sudoers) before any test file starts, so no file's beforeAll spends its
 * timeout on apt-get. Not fatal: when setup cannot run (not root), the SSH test files report
 * the LabSetupError themselves and every other test still runs.
 */
export default async function setup(): Promise<void> {
  try {
    await ensureLabSystem();
  } catch (error) {
    if (!(error instanceof LabSetupError)) throw error;
    process.stderr.write(`SSH lab not available: ${error.message}\n`);
  }
}
