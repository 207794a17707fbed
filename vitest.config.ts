import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Installs openssh-server and sudo and creates the lab users once, before any test file runs;
    // and Debian's python3-kubernetes, the official Python client the kube-api emulator is tested with.
    globalSetup: ["./test/helpers/sshd-global-setup.ts", "./test/helpers/python-kubernetes-global-setup.ts"],
    testTimeout: 30_000,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
  },
});
