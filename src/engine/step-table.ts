import type { StepState } from "./step-state.js";

/** What the run knows of one step. */
export interface StepRecord {
  state: StepState;
  attempt: number;
  reason?: string;
  mutating?: boolean;
  /**
   * What a running step started, for resume to end it: its marker (known before it starts), then
   * its process group on the host or its local pid.
   */
  process?: { target: string; pgid?: number; pid?: number; runMarker?: string };
}

type Entry = { readonly id: string; readonly record: StepRecord; readonly seen: number; readonly done?: number };
type Leaf = readonly Entry[];
type Node = readonly (Leaf | undefined)[];

const WIDTH = 64;

/**
 * A run's step records by id, persistent: `set` returns a new table that shares all but one short
 * path with the old one, so the reducer stays pure and costs the same at 10 or 10,000 steps (a
 * copied object of records costs O(steps) per event, and V8 makes it far slower past ~1,000 keys).
 * It also remembers which steps completed, in order: undo runs them backwards.
 */
export class StepTable {
  private constructor(
    private readonly root: readonly (Node | undefined)[],
    private readonly count: number,
    private readonly clock: number,
  ) {}

  static empty(): StepTable {
    return new StepTable([], 0, 0);
  }

  get size(): number {
    return this.count;
  }

  get(id: string): StepRecord | undefined {
    return this.entry(id)?.record;
  }

  /** A new table with the step's record; `completion` says whether the step now counts as completed. */
  set(id: string, record: StepRecord, completion: "completed" | "not-completed" | "keep"): StepTable {
    const before = this.entry(id);
    const clock = this.clock + 1;
    const done = completion === "completed" ? clock : completion === "keep" ? before?.done : undefined;
    const entry: Entry = { id, record, seen: before?.seen ?? clock, ...(done !== undefined ? { done } : {}) };
    return this.with(id, entry, before ? this.count : this.count + 1, clock);
  }

  /** A new table without the step (resume decides it again). */
  without(id: string): StepTable {
    if (!this.entry(id)) return this;
    return this.with(id, undefined, this.count - 1, this.clock);
  }

  /** Every step's record, in the order the steps first appeared. */
  entries(): [string, StepRecord][] {
    return this.all()
      .sort((a, b) => a.seen - b.seen)
      .map((e) => [e.id, e.record]);
  }

  /** The completed steps in completion order. */
  completed(): string[] {
    return this.all()
      .filter((e) => e.done !== undefined)
      .sort((a, b) => (a.done as number) - (b.done as number))
      .map((e) => e.id);
  }

  toJSON(): Record<string, StepRecord> {
    return Object.fromEntries(this.entries());
  }

  private entry(id: string): Entry | undefined {
    const [i, j] = slots(id);
    return this.root[i]?.[j]?.find((e) => e.id === id);
  }

  private with(id: string, entry: Entry | undefined, count: number, clock: number): StepTable {
    const [i, j] = slots(id);
    const node = this.root[i] ?? [];
    const others = (node[j] ?? []).filter((e) => e.id !== id);
    const leaf = entry ? [...others, entry] : others;
    const nextNode = [...node];
    nextNode[j] = leaf;
    const root = [...this.root];
    root[i] = nextNode;
    return new StepTable(root, count, clock);
  }

  private all(): Entry[] {
    return this.root.flatMap((node) => (node ?? []).flatMap((leaf) => leaf ?? []));
  }
}

/** Two 6-bit slots of the id's FNV-1a hash. */
function slots(id: string): [number, number] {
  let h = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
  return [(h >>> 0) % WIDTH, (h >>> 6) % WIDTH];
}
