import type { PlannedTarget } from "../plan/types.js";
import { KubectlTransport } from "../transports/kubectl.js";
import { LocalTransport } from "../transports/local.js";
import { SshTransport } from "../transports/ssh/transport.js";
import type { SecretPrompter, Transport } from "../transports/types.js";

export interface OpenOptions {
  sshConfig?: string;
  acceptNewHostKey?: boolean;
  prompter?: SecretPrompter;
  /** Working directory of local commands (the GitOps checkout). */
  cwd?: string;
  onNotice?: (message: string) => void;
}

/** A planned target → its transport, as `recover check` builds them (until the single factory lands). */
export function transportOpener(options: OpenOptions): (name: string, target: PlannedTarget) => Transport {
  return (_name, target) => {
    switch (target.kind) {
      case "ssh":
        return new SshTransport({
          alias: target.host,
          ...(target.user ? { user: target.user } : {}),
          ...(target.port ? { port: target.port } : {}),
          ...(target.become ? { become: target.become } : {}),
          ...(options.sshConfig ? { configFile: options.sshConfig } : {}),
          acceptNewHostKey: options.acceptNewHostKey === true,
          ...(options.prompter ? { prompter: options.prompter } : {}),
          ...(options.onNotice ? { onNotice: options.onNotice } : {}),
        });
      case "kubectl":
        return new KubectlTransport({
          ...(target.context ? { context: target.context } : {}),
          ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}),
        });
      case "local":
        return new LocalTransport(options.cwd ? { cwd: options.cwd } : {});
    }
  };
}
