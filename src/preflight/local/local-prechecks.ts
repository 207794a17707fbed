import type { LoadedInventory } from "../../inventory/load.js";
import type { Plan } from "../../plan/types.js";
import { shortPath } from "../../util/paths.js";
import { type CheckoutFiles, checkCheckoutFiles } from "./checkout-files.js";
import { type GitRunner, type LocalFinding, warning } from "./finding.js";
import { checkGitCheckout } from "./git-checkout.js";
import { checkStableDevices } from "./stable-devices.js";

export interface LocalPrecheckInput {
  plan: Plan;
  inventory?: LoadedInventory;
  /** The checkout's files; absent when the plan has no GitOps checkout. */
  files?: CheckoutFiles;
  /** git in the checkout. */
  git?: GitRunner;
  /** Paths below it are shown relative to it (the caller's working directory). */
  base?: string;
}

export interface LocalPrecheckResult {
  findings: LocalFinding[];
  /** The checkout's HEAD commit, when it is a Git work tree with a commit. */
  head: string | null;
}

/**
 * What a dry-run can check on this machine, for free and without the network, before anyone
 * approves the plan: the GitOps checkout, the files the plan edits and applies, the inventory's
 * device names. (`uses` runbooks resolve, or loading the runbook already failed with exit 2.)
 */
export async function localPrechecks(input: LocalPrecheckInput): Promise<LocalPrecheckResult> {
  const { plan } = input;
  const findings: LocalFinding[] = [];
  let head: string | null = null;
  const show = (path: string) => shortPath(path, input.base);
  const pushes = plan.stages.some((s) => s.checkpoint?.push);
  if (!plan.gitops) {
    if (plan.stages.some((s) => s.checkpoint))
      findings.push(
        warning(
          "gitops",
          "no GitOps checkout is given: the stages' checkpoint commits have nowhere to go",
          "pass --gitops DIR (or --inventory of a GitOps checkout)",
        ),
      );
  } else if (input.git) {
    const checked = await checkGitCheckout({ ...plan.gitops, dir: show(plan.gitops.dir), pushes }, input.git, plan.gitops.dir);
    findings.push(...checked.findings);
    head = checked.head;
  }
  if (input.files) findings.push(...checkCheckoutFiles(plan, input.files, show));
  findings.push(...checkStableDevices(plan, input.inventory));
  return { findings, head };
}
