/** Where a step runs, as the plan resolved it: what the transport factory turns into a Transport. */
export type TransportTarget =
  | { kind: "ssh"; host: string; user?: string; port?: number; become?: "sudo" }
  | { kind: "kubectl"; context?: string; kubeconfig?: string }
  | { kind: "local" };

export type KubectlTarget = Extract<TransportTarget, { kind: "kubectl" }>;

/**
 * kubectl's arguments for a target: `--kubeconfig F --context C` then the step's argv. The one
 * definition used by the transport that runs it and the preview that shows it, so both agree byte for byte.
 */
export function kubectlArgs(target: Omit<KubectlTarget, "kind">, argv: readonly string[]): string[] {
  return [
    ...(target.kubeconfig ? ["--kubeconfig", target.kubeconfig] : []),
    ...(target.context ? ["--context", target.context] : []),
    ...argv,
  ];
}
