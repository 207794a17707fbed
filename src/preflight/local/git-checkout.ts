import { realpathSync } from "node:fs";
import { MissingToolError } from "../../transports/errors.js";
import { error, type GitRunner, type LocalFinding, warning } from "./finding.js";

export interface CheckoutExpectation {
  /** The checkout, as messages name it. */
  dir: string;
  /** The inventory's gitops.branch: the branch Flux follows. */
  branch?: string;
  /** The inventory's gitops.remote: a remote name or URL. */
  remote?: string;
  /** A stage's checkpoint pushes: a missing remote is then an error, not a warning. */
  pushes: boolean;
}

/**
 * The GitOps directory is a Git work tree of its own, on the branch Flux follows, with the remote
 * checkpoints push to; also gives its HEAD commit (for a saved plan). A folder inside another
 * repository (the project's own fixtures/gitops) is one warning, and its Git is not checked further:
 * it would describe that other repository.
 */
export async function checkGitCheckout(
  want: CheckoutExpectation,
  git: GitRunner,
  /** The checkout's real path, when `want.dir` is shortened for messages. */
  path = want.dir,
): Promise<{ findings: LocalFinding[]; head: string | null }> {
  const findings: LocalFinding[] = [];
  const done = (head: string | null = null) => ({ findings, head });
  let top: Awaited<ReturnType<GitRunner>>;
  try {
    top = await git(["rev-parse", "--show-toplevel"]);
  } catch (e) {
    if (!(e instanceof MissingToolError)) throw e;
    findings.push(
      error("gitops", "git is not installed (not found on PATH): checkpoints cannot be committed", "install git (apt-get install git)"),
    );
    return done();
  }
  if (top.exitCode !== 0) {
    findings.push(
      error(
        "gitops",
        `${want.dir} is not a Git work tree: checkpoints commit there`,
        "pass --gitops with a clone of your GitOps repository (git clone URL)",
      ),
    );
    return done();
  }
  const head = await gitHead(git);
  if (realpathSync(top.stdout.trim()) !== realpathSync(path)) {
    findings.push(
      warning(
        "gitops",
        `${want.dir} is a folder inside the Git repository ${top.stdout.trim()}, not a checkout of its own: checkpoints would commit to that repository; its branch and remote were not checked`,
        "for a real run, pass --gitops with a clone of your GitOps repository",
      ),
    );
    return done(head);
  }
  if (head === null)
    findings.push(error("gitops", `${want.dir} has no commit yet`, "clone your GitOps repository, or make a first commit"));
  const branch = await git(["symbolic-ref", "-q", "--short", "HEAD"]);
  const current = branch.stdout.trim();
  if (branch.exitCode !== 0 || current === "")
    findings.push(
      error(
        "gitops",
        `HEAD is detached in ${want.dir}: a checkpoint would not land on any branch`,
        `git -C ${want.dir} switch ${want.branch ?? "main"}`,
      ),
    );
  else if (want.branch !== undefined && current !== want.branch)
    findings.push(
      error(
        "gitops",
        `${want.dir} is on branch ${current}, but the inventory's gitops.branch is ${want.branch}: checkpoints on ${current} would not reach the branch Flux follows`,
        `git -C ${want.dir} switch ${want.branch}, or correct gitops.branch in the inventory`,
      ),
    );
  if (want.remote !== undefined) findings.push(...(await checkRemote(want, git)));
  return done(head);
}

async function checkRemote(want: CheckoutExpectation, git: GitRunner): Promise<LocalFinding[]> {
  const remote = want.remote as string;
  const level = want.pushes ? error : warning;
  // A URL is pushed to as it is; a name must be configured.
  if (/[:/]/.test(remote)) return [];
  const found = await git(["remote", "get-url", remote]);
  if (found.exitCode === 0) return [];
  const names = (await git(["remote"])).stdout.split("\n").filter(Boolean);
  return [
    level(
      "gitops",
      `${want.dir} has no remote named ${remote} (the inventory's gitops.remote)${want.pushes ? ": checkpoint pushes would fail after the first stage" : ""}`,
      names.length
        ? `its remotes: ${names.join(", ")}; correct gitops.remote, or git remote add ${remote} URL`
        : `git -C ${want.dir} remote add ${remote} URL`,
    ),
  ];
}

/** The checkout's HEAD commit; null when there is none (not a work tree, or no commit yet). */
export async function gitHead(git: GitRunner): Promise<string | null> {
  const found = await git(["rev-parse", "-q", "--verify", "HEAD^{commit}"]);
  return found.exitCode === 0 ? found.stdout.trim() || null : null;
}
