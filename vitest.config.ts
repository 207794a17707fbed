import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Installs openssh-server and sudo and creates the lab users once, before any test file runs.
    globalSetup: ["./test/helpers/sshd-global-setup.ts"],
    testTimeout: 30_000,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
  },
});
