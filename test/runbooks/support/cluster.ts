// A cluster for runbook tests: the emulator with Longhorn's node webhook, an inventory that points
// the runbooks' kubectl target at it, and the built CLI run against both as an operator would.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import type { KubeObject } from "../../../src/lab/kube-api/index.js";
import { type LonghornVersion, longhornNodeValidator } from "../../../src/lab/kube-api/index.js";
import { type CliResult, runCliAsync } from "../../helpers/cli.js";
import { type Kubectl, startTestKubeApi, type TestKubeApi } from "../../helpers/kube-api.js";

export interface TestCluster {
  kube: TestKubeApi;
  kubectl: Kubectl;
  /** A GitOps checkout holding recover/inventory.yaml. */
  gitops: string;
  load(objects: KubeObject[]): Promise<void>;
  /** The object as the API holds it now (JSON through the typed client). */
  get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined;
  /** `recover ARGS --gitops <checkout> -o plain --yes` in a child process with its own state and kubectl cache. */
  recover(args: string[], extra?: { env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  longhorn?: LonghornVersion;
  /** Inventory body beyond apiVersion, kind and cluster (nodes, flux, mountPrefixes). */
  inventory: Record<string, unknown>;
}

let runs = 0;

export async function startCluster(options: ClusterOptions): Promise<TestCluster> {
  const kube = await startTestKubeApi();
  const gitops = await mkdtemp(path.join(tmpdir(), "recover-runbooks-"));
  try {
    kube.api.admission.register(longhornNodeValidator({ version: options.longhorn ?? "1.9" }));
    await mkdir(path.join(gitops, "recover"));
    const inventory = {
      apiVersion: "recover/v1",
      kind: "Inventory",
      cluster: { name: "lab", context: "lab", kubeconfig: kube.kubeconfig },
      gitops: { push: false },
      ...options.inventory,
    };
    await writeFile(path.join(gitops, "recover", "inventory.yaml"), stringify(inventory));
    const kubectl = await kube.kubectl();
    const client = kube.api.client("test");
    return {
      kube,
      kubectl,
      gitops,
      load: async (objects) => {
        await kube.api.control.load(objects);
      },
      get: (apiVersion, kind, name, namespace) => client.resource(apiVersion, kind).tryGet(name, namespace),
      recover: (args, extra = {}) =>
        runCliAsync([...args, "--gitops", gitops, "--output", "plain", "--yes"], {
          env: {
            XDG_STATE_HOME: path.join(gitops, `state-${++runs}`),
            KUBECACHEDIR: path.join(gitops, `kube-cache-${runs}`),
            HOME: gitops,
            ...extra.env,
          },
        }),
      close: async () => {
        await kube.close();
        await rm(gitops, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await kube.close();
    await rm(gitops, { recursive: true, force: true });
    throw error;
  }
}
