import type { TerminationOutcome } from "./terminate.js";

/** How long a stop error waits for the host to say the command is gone (SIGTERM, 1 s grace, SIGKILL, check). */
const REPORT_WITHIN_MS = 3_000;
/** A host that has sent nothing this long after the stop is not answering: report at once. */
const HOST_SILENT_MS = 500;

/** The note while the command is still being ended in the background. */
export const STILL_ENDING =
  "recover is still ending the remote command in the background (the host has not confirmed it yet) and reports the outcome when it knows";

/**
 * When a timeout or abort is reported, and with what: the termination's checked outcome when the
 * host answers (within ~1.3 s even for a command that ignores SIGTERM), else STILL_ENDING, as
 * soon as the host has been silent for HOST_SILENT_MS or at REPORT_WITHIN_MS at the latest. A
 * deadline stays a deadline the operator can rely on, even with a frozen host.
 */
export async function stopNote(
  outcome: Promise<TerminationOutcome>,
  heardSince: (since: number) => boolean,
): Promise<{ note: string; final: boolean }> {
  const since = performance.now();
  const timers: NodeJS.Timeout[] = [];
  const later = new Promise<undefined>((resolve) => {
    timers.push(setTimeout(() => resolve(undefined), REPORT_WITHIN_MS));
    timers.push(setTimeout(() => (heardSince(since) ? undefined : resolve(undefined)), HOST_SILENT_MS));
  });
  try {
    const known = await Promise.race([outcome, later]);
    return known === undefined ? { note: STILL_ENDING, final: false } : { note: known.note, final: true };
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}
