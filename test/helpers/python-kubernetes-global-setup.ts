import { ensurePythonKubernetes } from "./python-kubernetes.js";

/**
 * vitest globalSetup: installs the official Python client once, before any test file starts, so the
 * client test's beforeAll does not spend its timeout on apt-get. Not fatal here: when it cannot be
 * installed, that test file's own ensurePythonKubernetes fails it with the reason.
 */
export default async function setup(): Promise<void> {
  try {
    await ensurePythonKubernetes();
  } catch (error) {
    process.stderr.write(`Python Kubernetes client not available: ${(error as Error).message}\n`);
  }
}
