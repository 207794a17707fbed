/**
 * Ctrl-C during a run: the first stops starting steps and cleans up (undo, `always` steps); the
 * second abandons the cleanup. SIGTERM and SIGHUP count as a first Ctrl-C.
 */
export function interruptSignals(notice: (message: string) => void): { interrupt: AbortSignal; abandon: AbortSignal; dispose(): void } {
  const interrupt = new AbortController();
  const abandon = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!interrupt.signal.aborted) {
      notice(`${signal}: stopping — no new step starts; undo and always steps run next (Ctrl-C again abandons them)`);
      interrupt.abort();
    } else if (!abandon.signal.aborted) {
      notice(`${signal} again: abandoning the cleanup`);
      abandon.abort();
    }
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, onSignal);
  return {
    interrupt: interrupt.signal,
    abandon: abandon.signal,
    dispose: () => {
      for (const s of signals) process.off(s, onSignal);
    },
  };
}
