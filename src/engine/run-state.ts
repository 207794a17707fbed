import type { EngineEvent, StageState } from "./events.js";
import { StepState } from "./step-state.js";

export interface StepRecord {
  state: StepState;
  attempt: number;
  reason?: string;
  mutating?: boolean;
  /** The process a running step started (remote pgid, local pid), for resume to end it. */
  process?: { target: string; pgid?: number; pid?: number };
}

/** What the run knows at any point; the journal replayed through {@link reduce} gives it back. */
export interface RunState {
  steps: Readonly<Record<string, StepRecord>>;
  /** Captured values by step id. */
  captures: Readonly<Record<string, { as: string; value: unknown }>>;
  stages: Readonly<Record<string, StageState>>;
  /** Succeeded step ids in completion order (undo runs them backwards). */
  completed: readonly string[];
}

export const initialState = (): RunState => ({ steps: {}, captures: {}, stages: {}, completed: [] });

/** The pure reducer: one event in, the next state out. Events it does not track leave the state as it is. */
export function reduce(state: RunState, event: EngineEvent): RunState {
  switch (event.type) {
    case "step": {
      const before = state.steps[event.step];
      const { reason: _old, ...kept } = before ?? {};
      const record: StepRecord = {
        ...kept,
        state: event.state,
        attempt: event.attempt ?? before?.attempt ?? 0,
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
        ...(event.mutating !== undefined ? { mutating: event.mutating } : {}),
      };
      if (event.state !== StepState.Running && event.state !== StepState.Retrying) delete record.process;
      const was = state.completed.includes(event.step);
      const without = was ? state.completed.filter((id) => id !== event.step) : state.completed;
      const completed =
        event.state === StepState.Succeeded
          ? [...without, event.step]
          : event.state === StepState.Undone || event.state === StepState.Running
            ? without
            : state.completed;
      return { ...state, steps: { ...state.steps, [event.step]: record }, completed };
    }
    case "process": {
      const before = state.steps[event.step] ?? { state: StepState.Running, attempt: 1 };
      const process = { target: event.target, ...(event.pgid ? { pgid: event.pgid } : {}), ...(event.pid ? { pid: event.pid } : {}) };
      return { ...state, steps: { ...state.steps, [event.step]: { ...before, process } } };
    }
    case "capture":
      return { ...state, captures: { ...state.captures, [event.step]: { as: event.as, value: event.value } } };
    case "stage":
      return { ...state, stages: { ...state.stages, [event.stage]: event.state } };
    default:
      return state;
  }
}

/** Replays events (a journal's records) through the reducer. */
export const replay = (events: Iterable<EngineEvent>, from: RunState = initialState()): RunState => {
  let state = from;
  for (const event of events) state = reduce(state, event);
  return state;
};
