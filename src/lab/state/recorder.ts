import { type LabFacts, type LabPhase, type LabResource, type LabState, readState, writeState } from "./state-file.js";

/**
 * The one writer of a lab's state.json while it is built or runs: every resource is recorded
 * (and on disk) before it is created, then completed, so `down` finds it after any crash.
 */
export class StateRecorder {
  private queue: Promise<void> = Promise.resolve();

  private constructor(private state: LabState) {}

  static async create(state: LabState): Promise<StateRecorder> {
    await writeState(state);
    return new StateRecorder(state);
  }

  static async open(dir: string): Promise<StateRecorder> {
    const state = await readState(dir);
    if (!state) throw new Error(`no lab state in ${dir}`);
    return new StateRecorder(state);
  }

  get current(): LabState {
    return this.state;
  }

  /** Records a resource about to be created (or replaces the record with the same id). Resolves once it is on disk. */
  record(resource: LabResource): Promise<void> {
    return this.change((s) => ({ ...s, resources: [...s.resources.filter((r) => r.id !== resource.id), resource] }));
  }

  /** Completes a recorded resource (its device, its pid). */
  complete<R extends LabResource>(id: string, patch: Partial<R>): Promise<void> {
    return this.change((s) => ({
      ...s,
      resources: s.resources.map((r) => (r.id === id ? ({ ...r, ...patch } as LabResource) : r)),
    }));
  }

  /** Forgets a resource that is gone (a stopped process, a detached loop device). */
  forget(id: string): Promise<void> {
    return this.change((s) => ({ ...s, resources: s.resources.filter((r) => r.id !== id) }));
  }

  setPhase(phase: LabPhase, error?: string): Promise<void> {
    return this.change((s) => ({ ...s, phase, ...(error !== undefined ? { error } : {}) }));
  }

  addFacts(facts: LabFacts): Promise<void> {
    return this.change((s) => ({ ...s, facts: { ...s.facts, ...facts } }));
  }

  /** Writes are serialised: each sees the previous one's state. */
  private change(edit: (state: LabState) => LabState): Promise<void> {
    const next = this.queue.then(async () => {
      const state = edit(this.state);
      await writeState(state);
      this.state = state;
    });
    this.queue = next.catch(() => {});
    return next;
  }
}
