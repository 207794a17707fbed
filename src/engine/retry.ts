/** How one attempt of an action failed, as far as retrying cares. */
export type FailureKind = "exit" | "timeout" | "lost" | "aborted" | "error";

/**
 * Whether to try again and after how long: only where the runbook says `retry`, never after an
 * abort, and never a mutating command whose connection was lost (it may have run).
 */
export function retryDecision(
  retry: { attempts: number; delayMs: number; backoff: number } | undefined,
  attempt: number,
  failure: FailureKind,
  mutating: boolean,
): { again: false } | { again: true; delayMs: number } {
  if (!retry || failure === "aborted" || (failure === "lost" && mutating)) return { again: false };
  if (attempt >= retry.attempts) return { again: false };
  return { again: true, delayMs: Math.round(retry.delayMs * retry.backoff ** (attempt - 1)) };
}

/** Whether a verify poll may run again: the next poll must start before the deadline. */
export function verifyDecision(
  startedAt: number,
  now: number,
  verify: { intervalMs: number; timeoutMs: number },
): { again: boolean; waitMs: number } {
  const left = startedAt + verify.timeoutMs - now;
  if (left <= 0) return { again: false, waitMs: 0 };
  return { again: true, waitMs: Math.min(verify.intervalMs, left) };
}
