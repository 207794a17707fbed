/** A file's SHA-256 when the plan was made; null when it did not exist. */
export interface FileDigest {
  file: string;
  sha256: string | null;
}

/**
 * Everything a plan was made from, as digests: what `recover apply PLAN` checks before it runs the
 * plan, so that what was reviewed is what runs (Terraform's `plan -out` / `apply PLANFILE`).
 */
export interface PlanInputs {
  /** The version of recover that made the plan. */
  recover: string;
  /** SHA-256 of the plan itself (without `inputs`), so a plan file edited after it was saved is refused. */
  plan: string;
  /** The runbook, then every runbook it uses (by name: the file the name resolved to). */
  runbooks: (FileDigest & { name: string })[];
  inventory?: FileDigest;
  gitops?: {
    dir: string;
    /** The checkout's HEAD commit; null when it is not a Git work tree (or has no commit). */
    head: string | null;
    /** The files the plan edits or applies from the checkout, relative to it. */
    files: FileDigest[];
  };
}

/** What differs between the inputs a plan was made from and the same inputs now: one line each, empty when nothing. */
export function verifyPlanInputs(saved: PlanInputs, now: PlanInputs): string[] {
  const changes: string[] = [];
  if (saved.plan !== now.plan) changes.push("the plan file was changed after it was saved");
  if (saved.recover !== now.recover) changes.push(`recover is version ${now.recover}; the plan was made by ${saved.recover}`);
  const current = new Map(now.runbooks.map((r) => [r.name, r]));
  for (const was of saved.runbooks) {
    const is = current.get(was.name);
    if (!is || is.sha256 === null) changes.push(`runbook ${was.name}: ${was.file} is gone`);
    else if (is.file !== was.file) changes.push(`runbook ${was.name} now resolves to ${is.file} (was ${was.file})`);
    else if (is.sha256 !== was.sha256) changes.push(`runbook ${was.name} changed: ${was.file}`);
  }
  for (const is of now.runbooks) if (!saved.runbooks.some((r) => r.name === is.name)) changes.push(`runbook ${is.name} is now used`);
  changes.push(...fileChange("inventory", saved.inventory, now.inventory));
  const [before, after] = [saved.gitops, now.gitops];
  if (before && after) {
    if (before.dir !== after.dir) changes.push(`the GitOps checkout is ${after.dir}; the plan was made against ${before.dir}`);
    if (before.head !== after.head) changes.push(`GitOps checkout ${after.dir}: HEAD is ${short(after.head)}, was ${short(before.head)}`);
    const files = new Map(after.files.map((f) => [f.file, f]));
    for (const was of before.files)
      changes.push(...fileChange(`GitOps file`, was, files.get(was.file) ?? { file: was.file, sha256: null }));
  } else if (before || after)
    changes.push(
      before
        ? "the plan was made with a GitOps checkout; none is given now"
        : "a GitOps checkout is given now; the plan was made without one",
    );
  return changes;
}

function fileChange(what: string, before: FileDigest | undefined, after: FileDigest | undefined): string[] {
  if (!before && !after) return [];
  if (!before || !after)
    return [
      before
        ? `no ${what} is given now; the plan was made with ${before.file}`
        : `${what} ${after?.file} is given now; the plan was made without one`,
    ];
  if (before.file !== after.file) return [`${what} is ${after.file}; the plan was made with ${before.file}`];
  if (before.sha256 === after.sha256) return [];
  if (after.sha256 === null) return [`${what} ${before.file} no longer exists`];
  if (before.sha256 === null) return [`${what} ${before.file} exists now; it did not when the plan was made`];
  return [`${what} ${before.file} changed`];
}

const short = (commit: string | null): string => (commit === null ? "none (not a Git work tree)" : commit.slice(0, 12));
