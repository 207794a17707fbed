import { resolve } from "node:path";
import { InputError } from "../../errors.js";
import { isLoopback, startKubeApi } from "../../lab/kube-api/index.js";

/** Options of `recover lab kube-api`. */
export interface KubeApiCommandOptions {
  listen: string;
  kubeconfig?: string;
  context?: string;
  fixtures: string[];
  crds: string[];
  tls?: boolean;
  token?: string;
}

/** Parses `HOST:PORT` (or `:PORT`, `PORT`); the host must be loopback. */
export function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[?([^\]]*?)\]?:)?(\d{1,5})$/.exec(value.trim());
  const host = match?.[1] || "127.0.0.1";
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new InputError(`--listen ${value}: expected HOST:PORT, e.g. 127.0.0.1:6443 (port 0 picks a free one)`);
  if (!isLoopback(host))
    throw new InputError(`--listen ${value}: the emulator listens on loopback only`, "use an address in 127.0.0.0/8, e.g. 127.0.0.1:6443");
  return { host, port };
}

/** `recover lab kube-api`: runs the emulator in the foreground until SIGINT/SIGTERM, then exits 0. */
export async function kubeApiCommand(options: KubeApiCommandOptions): Promise<void> {
  const { host, port } = parseListen(options.listen);
  if (!options.kubeconfig) throw new InputError("recover lab kube-api needs --kubeconfig FILE: where to write the kubeconfig for kubectl");
  if (options.token !== undefined && !options.tls) throw new InputError("--token needs --tls: kubectl sends credentials only over TLS");
  const kubeconfig = resolve(options.kubeconfig);
  const context = options.context ?? "lab";
  const api = await startKubeApi({
    host,
    port,
    ...(options.tls ? { tls: true } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.crds.length > 0 ? { crdDirs: options.crds.map((d) => resolve(d)) } : {}),
    fixtures: options.fixtures.map((f) => resolve(f)),
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE")
      throw new InputError(`--listen ${options.listen}: the address is already in use`, "pick another port, or 0 for any free one");
    throw error;
  });
  const stopped = waitForSignal();
  try {
    await api.writeKubeconfig(kubeconfig, { context });
    process.stdout.write(
      `kube-api emulator listening on ${api.url}\nkubeconfig: ${kubeconfig} (context ${context})\ntry: KUBECONFIG=${kubeconfig} kubectl get nodes.longhorn.io -A\nstop with Ctrl-C\n`,
    );
    const signal = await stopped.promise;
    process.stdout.write(`${signal}: stopping\n`);
  } finally {
    stopped.dispose();
    await api.close();
  }
}

function waitForSignal(): { promise: Promise<NodeJS.Signals>; dispose(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const promise = new Promise<NodeJS.Signals>((resolveSignal) => {
    onSignal = resolveSignal;
  });
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    promise,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
