/** The window of recent changes a watch can resume from; older resourceVersions get 410 Gone. */

import { badRequest, gone } from "../status.js";
import type { KubeObject, ResourceType } from "../types.js";

/** One committed change; every resourceVersion the store hands out belongs to exactly one entry. */
export interface HistoryEntry {
  resourceVersion: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  resource: ResourceType;
  typeKey: string;
  /** Frozen. For DELETED: the last state, carrying the deletion's resourceVersion. */
  object: KubeObject;
  /** Frozen state before the change; absent for ADDED. */
  old?: KubeObject;
}

/** A ring buffer of the last `limit` entries, in resourceVersion order. */
export class EventHistory {
  private readonly entries: (HistoryEntry | undefined)[];
  private start = 0;
  private size = 0;
  /** The newest resourceVersion whose entry was dropped: resuming from before it would miss events. */
  private droppedUpTo: number;

  constructor(
    private readonly limit: number,
    initialResourceVersion: number,
  ) {
    this.entries = new Array(Math.max(0, limit));
    this.droppedUpTo = initialResourceVersion;
  }

  push(entry: HistoryEntry): void {
    if (this.limit <= 0) {
      this.droppedUpTo = entry.resourceVersion;
      return;
    }
    if (this.size === this.limit) {
      this.droppedUpTo = this.at(0).resourceVersion;
      this.entries[this.start] = entry;
      this.start = (this.start + 1) % this.limit;
      return;
    }
    this.entries[(this.start + this.size) % this.limit] = entry;
    this.size++;
  }

  /** The oldest resourceVersion whose state can still be read or resumed from (etcd's compacted revision). */
  get oldest(): number {
    return this.droppedUpTo;
  }

  /**
   * Drops every entry up to `upTo`, as etcd's compaction (k3s compacts every 5 minutes): reading or
   * resuming from an older resourceVersion then answers 410. Drills use it to make clients relist.
   */
  compact(upTo: number): void {
    if (upTo <= this.droppedUpTo) return;
    while (this.size > 0 && this.at(0).resourceVersion <= upTo) {
      this.entries[this.start] = undefined;
      this.start = (this.start + 1) % this.limit;
      this.size--;
    }
    this.droppedUpTo = upTo;
  }

  /** Entries with a resourceVersion greater than `after`, oldest first; throws 410 Gone when some were dropped. */
  since(after: number): HistoryEntry[] {
    if (after < this.droppedUpTo) throw gone(String(after), String(this.droppedUpTo));
    return this.kept(after);
  }

  /** Entries newer than `after`, without the check: the caller has made its own. */
  kept(after: number): HistoryEntry[] {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.at(middle).resourceVersion <= after) low = middle + 1;
      else high = middle;
    }
    const found: HistoryEntry[] = [];
    for (let i = low; i < this.size; i++) found.push(this.at(i));
    return found;
  }

  private at(index: number): HistoryEntry {
    const entry = this.entries[(this.start + index) % this.limit];
    if (!entry) throw new Error(`event history slot ${index} is empty (size ${this.size})`);
    return entry;
  }
}

/** Parses a watch's `resourceVersion` parameter: undefined for "from now", 0 for "current state first". */
export function parseResourceVersion(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value)) throw badRequest(`invalid resource version "${value}": expected a decimal number as returned by a list`);
  return Number(value);
}
