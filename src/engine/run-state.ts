import type { EngineEvent, StageState } from "./events.js";
import { StepState } from "./step-state.js";
import { type StepRecord, StepTable } from "./step-table.js";

/** What the run knows at any point; the journal replayed through {@link reduce} gives it back. */
export interface RunState {
  /** Step records by id, and which steps completed in what order (undo runs them backwards). */
  steps: StepTable;
  /** Captured values by step id. */
  captures: Readonly<Record<string, { as: string; value: unknown }>>;
  stages: Readonly<Record<string, StageState>>;
}

export const initialState = (): RunState => ({ steps: StepTable.empty(), captures: {}, stages: {} });

/** The pure reducer: one event in, the next state out. Events it does not track leave the state as it is. */
export function reduce(state: RunState, event: EngineEvent): RunState {
  switch (event.type) {
    case "step": {
      const before = state.steps.get(event.step);
      const { reason: _old, ...kept } = before ?? {};
      const record: StepRecord = {
        ...kept,
        state: event.state,
        attempt: event.attempt ?? before?.attempt ?? 0,
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
        ...(event.mutating !== undefined ? { mutating: event.mutating } : {}),
      };
      if (event.state !== StepState.Running && event.state !== StepState.Retrying) delete record.process;
      else if (event.runMarker !== undefined) record.process = { target: event.target ?? "local", runMarker: event.runMarker };
      const completion =
        event.state === StepState.Succeeded
          ? "completed"
          : event.state === StepState.Undone || event.state === StepState.Running
            ? "not-completed"
            : "keep";
      return { ...state, steps: state.steps.set(event.step, record, completion) };
    }
    case "process": {
      const before = state.steps.get(event.step) ?? { state: StepState.Running, attempt: 1 };
      const runMarker = event.runMarker ?? before.process?.runMarker;
      const process = {
        target: event.target,
        ...(event.pgid ? { pgid: event.pgid } : {}),
        ...(event.pid ? { pid: event.pid } : {}),
        ...(runMarker !== undefined ? { runMarker } : {}),
      };
      return { ...state, steps: state.steps.set(event.step, { ...before, process }, "keep") };
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
