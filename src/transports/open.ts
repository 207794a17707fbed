import { KubectlTransport } from "./kubectl.js";
import { LocalTransport } from "./local.js";
import { SshTransport } from "./ssh/transport.js";
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

/** The single way a planned target becomes a Transport: `recover check`, the engine and the lab all come here. */
export function openTransport(target: TransportTarget, options: OpenOptions = {}): Transport {
  switch (target.kind) {
    case "ssh":
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
    case "kubectl":
      return new KubectlTransport({
        ...(target.context !== undefined ? { context: target.context } : {}),
        ...(target.kubeconfig !== undefined ? { kubeconfig: target.kubeconfig } : {}),
        ...(options.env ? { env: options.env } : {}),
      });
    case "local":
      return new LocalTransport({ ...(options.env ? { env: options.env } : {}), ...(options.cwd ? { cwd: options.cwd } : {}) });
  }
}
