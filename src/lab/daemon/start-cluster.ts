import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { crdFilesFor } from "../cluster/crd-files.js";
import { randomNames } from "../cluster/names.js";
import { seedObjects } from "../cluster/seed.js";
import type { SeedInput } from "../cluster/seed-input.js";
import { LAB_CONTEXT } from "../gitops/lab-inventory.js";
import { type KubeApi, type KubeObject, startKubeApi } from "../kube-api/index.js";

/** 6443, k3s's port, when the lab's address has it free; else any free port. */
async function apiPort(address: string): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(0));
    server.listen({ host: address, port: 6443, exclusive: true }, () => server.close(() => resolve(6443)));
  });
}

/** Objects whose type the emulator serves (DaemonSets and PodDisruptionBudgets only once it has apps/v1 and policy/v1). */
function served(api: KubeApi, objects: KubeObject[]): KubeObject[] {
  return objects.filter((o) => api.registry.byKind(o.apiVersion, o.kind) !== undefined);
}

/**
 * The cluster: the API emulator on the server node's address (TLS and a token, as k3s), serving
 * Flux's CRDs and Longhorn's of the lab's version, seeded with a healthy installation, and a
 * kubeconfig for it in the lab directory.
 */
export async function startCluster(address: string, seed: Omit<SeedInput, "names">, kubeconfig: string): Promise<KubeApi> {
  const { files } = crdFilesFor(seed.model.options.version);
  const api = await startKubeApi({
    host: address,
    port: await apiPort(address),
    tls: true,
    token: randomBytes(24).toString("base64url"),
    crdDirs: files,
  });
  try {
    await api.control.load(served(api, seedObjects({ ...seed, names: randomNames })));
    await api.writeKubeconfig(kubeconfig, { context: LAB_CONTEXT });
    return api;
  } catch (error) {
    await api.close();
    throw error;
  }
}

export const kubeconfigPath = (dir: string): string => path.join(dir, "kubeconfig");
