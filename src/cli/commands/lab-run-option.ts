import { InputError } from "../../errors.js";
import { labRunContext } from "../../lab/run-context.js";

/** The options a run command shares that `--lab` fills in. */
interface LabbableOptions {
  lab?: string | boolean;
  gitops?: string;
  inventory?: string;
  sshConfig?: string;
  stateDir?: string;
}

/**
 * `--lab [DIR]` on a run command: points it at the lab's GitOps clone, inventory and ssh config,
 * and sets the environment every process of the run inherits (HOME, git and kubectl config in
 * the lab), so nothing of the operator's own is read or written. Without --lab: the options as given.
 */
export async function withLab<T extends LabbableOptions>(opts: T): Promise<T> {
  if (opts.lab === undefined || opts.lab === false) return opts;
  const clash = (["gitops", "inventory", "sshConfig"] as const).filter((k) => opts[k] !== undefined);
  if (clash.length > 0)
    throw new InputError(
      `--lab sets the GitOps checkout, inventory and ssh config itself; drop ${clash.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ")}`,
    );
  const lab = await labRunContext(opts.lab === true ? undefined : opts.lab);
  for (const [name, value] of Object.entries(lab.env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  // The lab's runs keep their journals and locks in the lab: `runs --lab` lists them, `lab down` removes them.
  return { ...opts, gitops: lab.gitops, inventory: lab.inventory, sshConfig: lab.sshConfig, stateDir: opts.stateDir ?? lab.stateDir };
}
