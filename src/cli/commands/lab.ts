import { NotYetError } from "../../errors.js";

export function labCommand(): void {
  throw new NotYetError(
    "lab drills are not available yet in this version: nothing was started. Meanwhile, bring the lab up and preview the main runbook against it: sudo recover lab up, then recover longhorn-node k3s1 --dry-run --lab",
  );
}
