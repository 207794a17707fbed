import { InternalError } from "../errors.js";
import { kubeReason, wantsJson } from "./kube-reason.js";
import { runProcess } from "./process.js";
import { kubectlArgs } from "./target.js";
import { DEFAULT_OUTPUT_CAP_BYTES, type ExecRequest, type ExecResult, type Transport } from "./types.js";

export interface KubectlTransportOptions {
  context?: string;
  kubeconfig?: string;
  /** The kubectl program; default "kubectl" on PATH. */
  binary?: string;
  /** The whole environment of kubectl (KUBECONFIG, KUBECACHEDIR…); default: this process's. */
  env?: NodeJS.ProcessEnv;
  outputCapBytes?: number;
}

const INSTALL_HINT = "install kubectl (https://kubernetes.io/docs/tasks/tools/) and make sure it is on PATH";

/**
 * Runs kubectl with an argv (never a shell), adding the target's --kubeconfig and --context.
 * A failure stays a result (guards test it) with `reason` read from kubectl's message;
 * `-o json` output is parsed into `json`.
 */
export class KubectlTransport implements Transport {
  readonly kind = "kubectl";
  readonly name: string;

  constructor(private readonly options: KubectlTransportOptions = {}) {
    this.name = options.context ?? "kubectl";
  }

  async exec(request: ExecRequest): Promise<ExecResult> {
    const { command } = request;
    if (!("argv" in command)) throw new InternalError("the kubectl transport runs argv commands only, not scripts");
    const args = kubectlArgs(this.options, command.argv);
    const result = await runProcess(
      { file: this.options.binary ?? "kubectl", args, env: this.options.env },
      { ...request, command: { argv: ["kubectl", ...command.argv] } },
      {
        target: this.name,
        outputCapBytes: this.options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES,
        installHint: INSTALL_HINT,
      },
    );
    if (result.exitCode !== 0) return { ...result, reason: kubeReason(result.stderr, result.stdout) };
    if (wantsJson(command.argv) && !result.truncated) {
      try {
        return { ...result, json: JSON.parse(result.stdout) };
      } catch {
        // Not JSON after all (kubectl printed a warning instead); the step sees stdout as text.
      }
    }
    return result;
  }

  async close(): Promise<void> {}
}
