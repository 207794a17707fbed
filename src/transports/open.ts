import module from "node:module";
import { LazyTransport } from "./lazy.js";
import type { TransportTarget } from "./target.js";
import type { SecretPrompter, Transport } from "./types.js";

/** How this machine reaches targets: the operator's (or the lab's) ssh config, kube environment and prompter. */
export interface OpenOptions {
  /** Like `ssh -F`: only this ssh config is read. */
  sshConfig?: string;
  /** The operator's explicit accept-new for unknown host keys. */
  acceptNewHostKey?: boolean;
  prompter?: SecretPrompter;
  /** The environment of ssh (HOME, SSH_AUTH_SOCK), kubectl (KUBECONFIG, KUBECACHEDIR) and local commands. */
  env?: NodeJS.ProcessEnv;
  /** Working directory of local commands (the GitOps checkout). */
  cwd?: string;
  onNotice?: (message: string) => void;
}

/**
 * The single way a planned target becomes a Transport: `recover check`, the engine and the lab all come here.
 * Each concrete transport is loaded when first used (see LazyTransport), so a start-up pays only for what it runs.
 */
export function openTransport(target: TransportTarget, options: OpenOptions = {}): Transport {
  switch (target.kind) {
    case "ssh":
      return new LazyTransport("ssh", target.host, async () => {
        // ssh2 is a package outside the bundle (and its code cache): Node's compile cache spares compiling it at every run.
        module.enableCompileCache?.();
        const { SshTransport } = await import("./ssh/transport.js");
        return new SshTransport({
          alias: target.host,
          ...(target.user !== undefined ? { user: target.user } : {}),
          ...(target.port !== undefined ? { port: target.port } : {}),
          ...(target.become ? { become: target.become } : {}),
          ...(options.sshConfig ? { configFile: options.sshConfig } : {}),
          acceptNewHostKey: options.acceptNewHostKey === true,
          ...(options.prompter ? { prompter: options.prompter } : {}),
          ...(options.env ? { env: options.env } : {}),
          ...(options.onNotice ? { onNotice: options.onNotice } : {}),
        });
      });
    case "kubectl":
      return new LazyTransport("kubectl", target.context ?? "kubectl", async () => {
        const { KubectlTransport } = await import("./kubectl.js");
        return new KubectlTransport({
          ...(target.context !== undefined ? { context: target.context } : {}),
          ...(target.kubeconfig !== undefined ? { kubeconfig: target.kubeconfig } : {}),
          ...(options.env ? { env: options.env } : {}),
        });
      });
    case "local":
      return new LazyTransport("local", "local", async () => {
        const { LocalTransport } = await import("./local.js");
        return new LocalTransport({ ...(options.env ? { env: options.env } : {}), ...(options.cwd ? { cwd: options.cwd } : {}) });
      });
  }
}
