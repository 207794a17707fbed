/** A problem a local precheck found: an error stops the plan from running (exit 2), a warning is for the reviewer. */
export interface LocalFinding {
  level: "error" | "warning";
  /** Which check: "gitops", "edit", "apply", "devices". */
  check: string;
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** Runs `git ARGS` in the GitOps checkout, read-only; resolves whatever git's exit code. */
export type GitRunner = (args: string[]) => Promise<{ exitCode: number | null; stdout: string; stderr: string }>;

export const error = (check: string, message: string, hint?: string): LocalFinding => ({
  level: "error",
  check,
  message,
  ...(hint ? { hint } : {}),
});
export const warning = (check: string, message: string, hint?: string): LocalFinding => ({
  level: "warning",
  check,
  message,
  ...(hint ? { hint } : {}),
});
