// The kubectl transport end to end: the real kubectl against the lab's API emulator.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { TimeoutError } from "../../src/transports/errors.js";
import { KubectlTransport } from "../../src/transports/kubectl.js";
import { startTestKubeApi, type TestKubeApi } from "../helpers/kube-api.js";

let lab: TestKubeApi;
let caches = 0;
beforeAll(async () => {
  // The emulator's kubeconfig names its context "lab".
  lab = await startTestKubeApi({ tls: true, token: "lab-token" });
});
afterEach(() => lab.api.control.clearFaults());
afterAll(async () => {
  await lab?.close();
});

/** A transport with its own discovery cache, like every kubectl call in the tests. */
const transport = (kubeconfig = lab.kubeconfig) =>
  new KubectlTransport({
    kubeconfig,
    context: "lab",
    env: { ...process.env, KUBECONFIG: "", HOME: lab.dir, KUBECACHEDIR: path.join(lab.dir, `transport-cache-${++caches}`) },
  });

const configMap = (name: string) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data: { a: "1" } });

describe("KubectlTransport against the emulator", () => {
  it("parses -o json and reports NotFound as a reason guards can test", async () => {
    const kubectl = transport();
    const created = await kubectl.exec({ command: { argv: ["create", "-f", "-", "-o", "json"] }, stdin: configMap("one") });
    expect(created.exitCode).toBe(0);
    expect(created.json).toMatchObject({ kind: "ConfigMap", metadata: { name: "one" } });

    await kubectl.exec({ command: { argv: ["create", "namespace", "longhorn-system"] } });
    const missing = await kubectl.exec({ command: { argv: ["get", "nodes.longhorn.io", "-n", "longhorn-system", "k3s9"] } });
    expect(missing).toMatchObject({ exitCode: 1, reason: "NotFound" });
    expect(missing.stderr).toContain('nodes.longhorn.io "k3s9" not found');
  });

  it("reports AlreadyExists and Conflict", async () => {
    const kubectl = transport();
    await kubectl.exec({ command: { argv: ["create", "-f", "-"] }, stdin: configMap("two") });
    const again = await kubectl.exec({ command: { argv: ["create", "-f", "-"] }, stdin: configMap("two") });
    expect(again).toMatchObject({ exitCode: 1, reason: "AlreadyExists" });

    const stale = JSON.stringify({
      ...JSON.parse(configMap("two")),
      metadata: { name: "two", namespace: "default", resourceVersion: "1" },
    });
    const conflict = await kubectl.exec({ command: { argv: ["replace", "-f", "-"] }, stdin: stale });
    expect(conflict).toMatchObject({ exitCode: 1, reason: "Conflict" });
  });

  it("a wrong token is Unauthorized", async () => {
    const denied = await transport().exec({ command: { argv: ["--token", "not-the-token", "get", "configmaps"] } });
    expect(denied).toMatchObject({ exitCode: 1, reason: "Unauthorized" });
    expect(denied.stderr).toContain("You must be logged in to the server");
  });

  it("a kubeconfig without credentials is Unauthorized, not Unreachable (kubectl asks for a password on stdin)", async () => {
    const doc = parse(await readFile(lab.kubeconfig, "utf8")) as { users: { name: string; user: object }[] };
    for (const user of doc.users) user.user = {};
    const bare = path.join(lab.dir, "kubeconfig-no-user");
    await writeFile(bare, stringify(doc), { mode: 0o600 });
    const result = await transport(bare).exec({ command: { argv: ["get", "configmaps"] } });
    expect(result.exitCode).toBe(1);
    expect(result.reason).toBe("Unauthorized");
  });

  it("a server that does not answer is a Timeout when kubectl gives up", async () => {
    const kubectl = transport();
    await kubectl.exec({ command: { argv: ["get", "configmaps"] } }); // warm the discovery cache
    lab.api.control.inject({ method: "GET", path: /\/configmaps/, hang: true, times: Number.POSITIVE_INFINITY });
    const result = await kubectl.exec({ command: { argv: ["get", "configmaps", "--request-timeout=1s"] } });
    expect(result).toMatchObject({ exitCode: 1, reason: "Timeout" });
  });

  it("the transport's own timeout stops kubectl and says so", async () => {
    const kubectl = transport();
    await kubectl.exec({ command: { argv: ["get", "configmaps"] } });
    lab.api.control.inject({ method: "GET", path: /\/configmaps/, hang: true, times: Number.POSITIVE_INFINITY });
    const error = await kubectl.exec({ command: { argv: ["get", "configmaps"] }, timeoutMs: 1000, step: "list" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("timed out after 1 s: kubectl get configmaps (lab, step list); it was stopped");
  });
});
