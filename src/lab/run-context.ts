import path from "node:path";
import { InputError } from "../errors.js";
import { labGitEnv } from "./gitops/git.js";
import { resolveLabDir } from "./paths.js";
import { readState } from "./state/state-file.js";

/** What a run (`recover RUNBOOK`, plan, check, resume, runs) uses of a lab, instead of the operator's own. */
export interface LabRunContext {
  dir: string;
  /** The lab's GitOps clone, holding recover/inventory.yaml. */
  gitops: string;
  inventory: string;
  /** Read like `ssh -F`: the only ssh config of the run. */
  sshConfig: string;
  kubeconfig: string;
  /** Where the lab's runs keep journals and locks (recover's --state-dir). */
  stateDir: string;
  /**
   * The environment of the run's processes: HOME, git's global config and kubectl's config and
   * cache in the lab, no ssh-agent, so the operator's ~/.ssh, ~/.kube and git config are never
   * read or written.
   */
  env: Record<string, string | undefined>;
}

/** Reads a running lab's paths from DIR/state.json; an InputError (exit 2) when there is none or it is not up. */
export async function labRunContext(dirOption: string | undefined): Promise<LabRunContext> {
  const dir = resolveLabDir(dirOption);
  const state = await readState(dir).catch((error: Error) => {
    throw new InputError(`--lab ${dir}: ${error.message}`);
  });
  if (!state) throw new InputError(`--lab: no lab in ${dir}`, `start one with: recover lab up${dirOption ? ` --dir ${dir}` : ""}`);
  const f = state.facts;
  if (state.phase !== "up" || !f.gitopsClone || !f.inventory || !f.sshConfig || !f.kubeconfig)
    throw new InputError(`--lab: the lab in ${dir} is ${state.phase}, not up`, `see recover lab status --dir ${dir}`);
  const git = labGitEnv(dir);
  return {
    dir,
    gitops: f.gitopsClone,
    inventory: f.inventory,
    sshConfig: f.sshConfig,
    kubeconfig: f.kubeconfig,
    stateDir: path.join(dir, "runs"),
    env: {
      HOME: git.HOME,
      GIT_CONFIG_GLOBAL: git.GIT_CONFIG_GLOBAL,
      GIT_CONFIG_NOSYSTEM: "1",
      KUBECONFIG: f.kubeconfig,
      KUBECACHEDIR: path.join(git.HOME as string, ".kube", "cache"),
      SSH_AUTH_SOCK: undefined,
      RECOVER_GITOPS: f.gitopsClone,
    },
  };
}
