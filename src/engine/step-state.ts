/** The states a step goes through, emitted as events (listr2's task states are the model). */
export enum StepState {
  Pending = "pending",
  Skipped = "skipped",
  Running = "running",
  Retrying = "retrying",
  AwaitingConfirmation = "awaiting-confirmation",
  Succeeded = "succeeded",
  Failed = "failed",
  Undoing = "undoing",
  Undone = "undone",
  UndoFailed = "undo-failed",
}

const NEXT: Record<StepState, readonly StepState[]> = {
  [StepState.Pending]: [StepState.Running, StepState.Skipped, StepState.AwaitingConfirmation, StepState.Failed],
  [StepState.AwaitingConfirmation]: [StepState.Running, StepState.Skipped, StepState.Failed],
  [StepState.Running]: [StepState.Retrying, StepState.Succeeded, StepState.Failed, StepState.Skipped, StepState.AwaitingConfirmation],
  [StepState.Retrying]: [StepState.Running, StepState.Failed],
  [StepState.Succeeded]: [StepState.Undoing],
  [StepState.Undoing]: [StepState.Undone, StepState.UndoFailed],
  // A resumed run enters these steps again.
  [StepState.Skipped]: [],
  [StepState.Failed]: [StepState.Running, StepState.Skipped, StepState.AwaitingConfirmation],
  [StepState.Undone]: [StepState.Running, StepState.Skipped, StepState.AwaitingConfirmation],
  [StepState.UndoFailed]: [],
};

/** True when a step may go from one state to the other. */
export const canMove = (from: StepState, to: StepState): boolean => NEXT[from].includes(to);

/** Done for the graph: the steps that need it may start. */
export const isSettled = (state: StepState): boolean => state === StepState.Succeeded || state === StepState.Skipped;

/** The step's action had started and not finished (attempt 0 is its checks): what resume must look at first. */
export const wasInFlight = (record: { state: StepState; attempt: number }): boolean =>
  (record.state === StepState.Running || record.state === StepState.Retrying) && record.attempt > 0;
