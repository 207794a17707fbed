/** Delivers committed changes to watches and onChange hooks, strictly in resourceVersion order. */

import { clone } from "../patch/json-value.js";
import { qualifiedName } from "../status.js";
import type { KubeObject, ResourceType } from "../types.js";
import type { HistoryEntry } from "./history.js";
import type { Watcher } from "./watch.js";

/** A committed change as simulated controllers see it (deep copies). */
export interface StoreChange {
  type: "ADDED" | "MODIFIED" | "DELETED";
  resource: ResourceType;
  object: KubeObject;
  /** The state before the change; absent for ADDED. */
  old?: KubeObject;
}

/** Told when a hook or a watch consumer throws; the feed carries on without it. */
export type ListenerErrorSink = (error: unknown, context: string) => void;

/**
 * Changes are queued while a store operation runs and delivered when the outermost one finishes, so a
 * listener never sees a half-done operation (a namespace cascade) and changes a hook makes while being
 * told about one change queue up behind it instead of overtaking it.
 */
export class ChangeFeed {
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly hooks = new Set<(change: StoreChange) => void>();
  private readonly undelivered: HistoryEntry[] = [];
  private depth = 0;
  private draining = false;

  constructor(private readonly onListenerError: ListenerErrorSink) {}

  /** Runs a store operation; changes it publishes are delivered once it (and any operation around it) has finished. */
  batch<T>(operation: () => T): T {
    this.depth++;
    try {
      return operation();
    } finally {
      this.depth--;
      if (this.depth === 0) this.drain();
    }
  }

  publish(entry: HistoryEntry): void {
    this.undelivered.push(entry);
  }

  addWatcher(typeKey: string, watcher: Watcher): void {
    const registered = this.watchers.get(typeKey) ?? new Set<Watcher>();
    this.watchers.set(typeKey, registered.add(watcher));
  }

  removeWatcher(typeKey: string, watcher: Watcher): void {
    this.watchers.get(typeKey)?.delete(watcher);
  }

  /** Returns the unsubscribe function. */
  addHook(hook: (change: StoreChange) => void): () => void {
    this.hooks.add(hook);
    return () => {
      this.hooks.delete(hook);
    };
  }

  stopWatchers(): void {
    for (const watchers of this.watchers.values()) for (const watcher of [...watchers]) watcher.stop();
    this.watchers.clear();
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      // Hooks may publish more while this loop runs; iterating the live array picks those up in order.
      for (const entry of this.undelivered) this.deliver(entry);
    } finally {
      this.undelivered.length = 0;
      this.draining = false;
    }
  }

  private deliver(entry: HistoryEntry): void {
    for (const watcher of [...(this.watchers.get(entry.typeKey) ?? [])]) watcher.deliver(entry);
    for (const hook of [...this.hooks]) {
      const change: StoreChange = { type: entry.type, resource: entry.resource, object: clone(entry.object) };
      if (entry.old) change.old = clone(entry.old);
      try {
        hook(change);
      } catch (error) {
        this.onListenerError(error, `onChange hook on ${entry.type} ${qualifiedName(entry.resource)} "${entry.object.metadata.name}"`);
      }
    }
  }
}
