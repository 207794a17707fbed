import { NotYetError } from "../../errors.js";

export function labCommand(): void {
  throw new NotYetError(
    "the built-in lab is not available yet in this version: nothing was started. Meanwhile, preview the main runbook: recover longhorn-node k3s1 --dry-run --gitops fixtures/gitops (the Kubernetes API emulator alone runs with: recover lab kube-api --kubeconfig FILE)",
  );
}
