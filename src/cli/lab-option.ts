/** `--lab [DIR]` on the run commands: their GitOps clone, inventory, ssh config, kubeconfig and run journals come from a lab (recover lab up). */
export const LAB_OPTION = [
  "--lab [dir]",
  "use the lab in DIR (default: $XDG_STATE_HOME/recover/lab) instead of the operator's repo, ~/.ssh and ~/.kube",
] as const;

/** The options with the lab's paths filled in (and the run's environment pointed at the lab) when --lab is given. */
export const withLab = async <T extends object>(opts: T): Promise<T> => (await import("./commands/lab-run-option.js")).withLab(opts);
