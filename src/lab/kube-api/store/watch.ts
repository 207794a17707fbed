/** One open watch: turns committed changes into the events its filter should see, like the real watch cache. */

import { clone } from "../patch/json-value.js";
import { apiVersionOf } from "../registry/names.js";
import type { KubeObject, ResourceType, WatchEvent } from "../types.js";
import type { HistoryEntry } from "./history.js";

/** Selects objects by labels and by fields; both must hold. Predicates must not mutate what they are given. */
export interface ListFilter {
  labels?: (labels: Record<string, string> | undefined) => boolean;
  fields?: (object: KubeObject) => boolean;
}

/** Whether an object is in a namespace (undefined = all) and passes the filter. */
export function matches(object: KubeObject, namespace: string | undefined, filter: ListFilter): boolean {
  if (namespace !== undefined && object.metadata.namespace !== namespace) return false;
  if (filter.labels && !filter.labels(object.metadata.labels)) return false;
  if (filter.fields && !filter.fields(object)) return false;
  return true;
}

/**
 * What a watcher sees of a change: an object that starts matching arrives as ADDED, one that stops
 * matching as DELETED (its previous content with the change's resourceVersion), as the real watch cache does.
 */
export function toWatchEvent(entry: HistoryEntry, namespace: string | undefined, filter: ListFilter): WatchEvent | undefined {
  const nowMatches = entry.type !== "DELETED" && matches(entry.object, namespace, filter);
  const matchedBefore = entry.old !== undefined && matches(entry.old, namespace, filter);
  if (nowMatches) return { type: matchedBefore ? "MODIFIED" : "ADDED", object: clone(entry.object) };
  if (!matchedBefore || !entry.old) return undefined;
  const object = clone(entry.old);
  object.metadata.resourceVersion = String(entry.resourceVersion);
  return { type: "DELETED", object };
}

/** The lifecycle of a watch; the store delivers committed changes to it in resourceVersion order. */
export class Watcher {
  private stopped = false;
  private bookmarkTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly resource: ResourceType,
    private readonly namespace: string | undefined,
    private readonly filter: ListFilter,
    private readonly onEvent: (event: WatchEvent) => void,
    /** Changes up to and including this resourceVersion were already sent (or predate the watch). */
    private delivered: number,
    private readonly onStop: (watcher: Watcher, error?: unknown) => void,
  ) {}

  get active(): boolean {
    return !this.stopped;
  }

  /** Sends a change unless this watch already saw it or its filter excludes it. */
  deliver(entry: HistoryEntry): void {
    if (this.stopped || entry.resourceVersion <= this.delivered) return;
    this.delivered = entry.resourceVersion;
    const event = toWatchEvent(entry, this.namespace, this.filter);
    if (event) this.emit(event);
  }

  /** Sends an event built outside the history (initial ADDED events for resourceVersion "0"). */
  emit(event: WatchEvent): void {
    if (this.stopped) return;
    try {
      this.onEvent(event);
    } catch (error) {
      // A consumer that throws (a closed socket) must not break the store or other watches.
      this.stop(error);
    }
  }

  /**
   * Emits a BOOKMARK every `intervalMs` with the newest resourceVersion the watch has caught up to;
   * with a deadline, the first comes 2 s before it (as the real cacher's), so a client resumes from there.
   */
  startBookmarks(intervalMs: number, currentResourceVersion: () => number, deadlineMs?: number): void {
    const bookmark = () => this.emitBookmark(String(Math.max(this.delivered, currentResourceVersion())));
    const first = deadlineMs === undefined ? intervalMs : Math.max(0, Math.min(intervalMs, deadlineMs - 2000));
    this.bookmarkTimer = setTimeout(() => {
      bookmark();
      if (this.stopped) return;
      this.bookmarkTimer = setInterval(bookmark, intervalMs);
      this.bookmarkTimer.unref();
    }, first);
    this.bookmarkTimer.unref();
  }

  /** A BOOKMARK at `resourceVersion`; `annotations` mark the end of initial events (sendInitialEvents). */
  emitBookmark(resourceVersion: string, annotations?: Record<string, string>): void {
    this.emit({
      type: "BOOKMARK",
      object: {
        kind: this.resource.kind,
        apiVersion: apiVersionOf(this.resource),
        metadata: { resourceVersion, ...(annotations ? { annotations } : {}) },
      },
    });
  }

  stop(error?: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.bookmarkTimer) clearTimeout(this.bookmarkTimer);
    this.onStop(this, error);
  }
}
