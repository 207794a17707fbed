/** Exit codes of the `recover` command; documented in README.md. */
export enum ExitCode {
  /** Everything asked for was done (or, for a dry-run, planned). */
  Ok = 0,
  /** A step failed at run time; the journal says where. */
  Failed = 1,
  /** Bad input: runbook, inventory, parameters or flags. Nothing ran. */
  InvalidInput = 2,
  /** Not yet available in this version. */
  NotImplemented = 3,
  /** A bug in recover. */
  Internal = 70,
}
