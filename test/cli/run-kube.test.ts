// The cluster side of "one run per node": a coordination.k8s.io/v1 Lease, through the real kubectl
// against the kube-api emulator, held by a real CLI process.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { startTestKubeApi, type TestKubeApi } from "../helpers/kube-api.js";

let kube: TestKubeApi;
let dir: string;
let runbook: string;
let caches = 0;

beforeAll(async () => {
  kube = await startTestKubeApi();
  dir = await mkdtemp(path.join(tmpdir(), "recover-run-kube-"));
  runbook = path.join(dir, "lease.yaml");
  await writeFile(
    runbook,
    `apiVersion: recover/v1
kind: Runbook
metadata: {name: lease}
summary: holds the cluster for a moment
targets:
  cluster: {kubectl: {kubeconfig: ${kube.kubeconfig}}}
  here: {local: {}}
stages:
  - id: s
    checkpoint: false
    steps:
      - {id: look, kubectl: [get, namespaces]}
      - {id: hold, local: [sh, -c, 'while [ ! -e "$0" ]; do sleep 0.05; done', ${path.join(dir, "release")}], on: here, timeout: 60s}
`,
  );
}, 30_000);

afterAll(async () => {
  await kube?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A run as if from its own machine: its own state directory (no shared lock file) and kubectl cache. */
const recover = (args: string[], state: string) =>
  runCliAsync(args, { env: { XDG_STATE_HOME: path.join(dir, state), KUBECACHEDIR: path.join(dir, `cache-${++caches}`), HOME: dir } });

describe("the cluster lease", () => {
  it("a second run from elsewhere exits 4 naming the holder; the lease is gone after the first ends", async () => {
    const first = recover([runbook, "-o", "plain"], "one");
    const watcher = await kube.kubectl();
    const held = async () => (await watcher(["get", "leases", "-n", "kube-system", "-o", "name"])).stdout.includes("recover-kube-");
    expect(await eventually(held, 100, 50)).toBe(true);
    const second = await recover([runbook, "-o", "plain"], "two");
    expect(second.code).toBe(4);
    await writeFile(path.join(dir, "release"), "");
    expect(second.stderr).toMatch(/is locked by \S+\/\d+\/\S+ \(renewed .*\): the Lease kube-system\/recover-kube-\S+ in /);
    expect((await first).code).toBe(0);
    const kubectl = await kube.kubectl();
    const left = await kubectl(["get", "leases", "-n", "kube-system", "-o", "name"]);
    expect(left.stdout).not.toContain("recover-");
  });

  it("an expired lease of another run is taken over, saying so", async () => {
    const kubectl = await kube.kubectl();
    const key = `recover-kube-${kube.kubeconfig.toLowerCase().replace(/[^a-z0-9.-]/g, "-")}`;
    const lease = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: key, namespace: "kube-system" },
      spec: { holderIdentity: "elsewhere/1/20200101-000000-abcdef", leaseDurationSeconds: 60, renewTime: "2020-01-01T00:00:00.000000Z" },
    };
    expect((await kubectl(["create", "-f", "-"], { input: JSON.stringify(lease) })).code).toBe(0);
    const result = await recover([runbook, "-o", "plain"], "three");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`taking over the expired lease ${key} of elsewhere/1/20200101-000000-abcdef`);
  });
});
