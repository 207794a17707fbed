import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InternalError } from "../../src/errors.js";
import { freePort } from "../../src/lab/sshd/free-port.js";
import { MissingToolError } from "../../src/transports/errors.js";
import { KubectlTransport } from "../../src/transports/kubectl.js";

let dir: string;
let closedPort: number;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "recover-kubectl-"));
  // A port that was free a moment ago and has nothing listening: connections are refused.
  closedPort = await freePort("127.0.0.1");
  await writeFile(
    path.join(dir, "kubeconfig"),
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: "a", cluster: { server: "http://127.0.0.1:1" } },
        { name: "b", cluster: { server: `http://127.0.0.1:${closedPort}` } },
      ],
      users: [{ name: "u", user: {} }],
      contexts: [
        { name: "ctx-a", context: { cluster: "a", user: "u" } },
        { name: "ctx-b", context: { cluster: "b", user: "u" } },
      ],
      "current-context": "ctx-a",
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = () => ({ ...process.env, KUBECONFIG: "", KUBECACHEDIR: path.join(dir, "cache") });

describe("KubectlTransport", () => {
  it("adds the target's --kubeconfig and --context and parses -o json", async () => {
    const kubectl = new KubectlTransport({ kubeconfig: path.join(dir, "kubeconfig"), context: "ctx-b", env: env() });
    const result = await kubectl.exec({ command: { argv: ["config", "view", "--minify", "-o", "json"] } });
    expect(result.exitCode).toBe(0);
    expect(result.json).toMatchObject({
      "current-context": "ctx-b",
      clusters: [{ name: "b", cluster: { server: `http://127.0.0.1:${closedPort}` } }],
    });
    expect(kubectl.name).toBe("ctx-b");
  });

  it("an unreachable server is a failed result with reason Unreachable, not an exception", async () => {
    const kubectl = new KubectlTransport({ kubeconfig: path.join(dir, "kubeconfig"), context: "ctx-b", env: env() });
    const result = await kubectl.exec({ command: { argv: ["get", "nodes", "-o", "json"] } });
    expect(result.exitCode).not.toBe(0);
    expect(result.reason).toBe("Unreachable");
    expect(result.json).toBeUndefined();
    expect(result.stderr).toContain(`127.0.0.1:${closedPort}`);
  });

  it("a truncated manifest is the runbook's problem (Other), not an unreachable server", async () => {
    const kubectl = new KubectlTransport({ kubeconfig: path.join(dir, "kubeconfig"), context: "ctx-b", env: env() });
    const result = await kubectl.exec({
      command: { argv: ["create", "--dry-run=client", "-f", "-"] },
      stdin: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}',
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/unexpected EOF\n?$/);
    expect(result.reason).toBe("Other");
  });

  it("refuses scripts: kubectl takes argv only", async () => {
    await expect(new KubectlTransport().exec({ command: { script: "kubectl get nodes" } })).rejects.toBeInstanceOf(InternalError);
  });

  it("a missing kubectl is a MissingToolError saying how to install it", async () => {
    const kubectl = new KubectlTransport({ binary: "kubectl-not-installed-here" });
    const error = await kubectl.exec({ command: { argv: ["version", "--client"] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingToolError);
    expect((error as Error).message).toMatch(/kubectl-not-installed-here is not installed .*install kubectl/);
  });
});
