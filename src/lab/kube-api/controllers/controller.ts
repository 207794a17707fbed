/**
 * Runs a simulated controller as client-go runs a real one: change events become keys on a work
 * queue, and the queue reconciles each key later, on the injected scheduler, through the typed
 * client. Nothing a controller does happens inside the write that triggered it.
 */
import type { KubeClient } from "../api/client.js";
import type { StoreChange } from "../store/store.js";
import type { Scheduler } from "./scheduler.js";
import { WorkQueue } from "./work-queue.js";

/** What a reconcile gets: its client, its queue (to come back later) and the time. */
export interface ReconcileContext {
  client: KubeClient;
  queue: WorkQueue;
  scheduler: Scheduler;
}

export interface Controller {
  /** Also the field manager of its writes. */
  name: string;
  /** The keys a change concerns (none for changes the controller does not watch). */
  keysFor(change: StoreChange, client: KubeClient): string[];
  /** Keys to reconcile once at start, for objects that exist before the controller. */
  initialKeys?(client: KubeClient): string[];
  reconcile(key: string, context: ReconcileContext): void;
}

/** Where a controller runs. */
export interface ControllerHost {
  onChange(hook: (change: StoreChange) => void): () => void;
  client(fieldManager: string): KubeClient;
  scheduler: Scheduler;
  /** Told when a reconcile throws (it is retried with backoff). */
  onError?: (controller: string, key: string, error: unknown) => void;
}

/** Starts a controller; returns the function that stops it (its queue and subscription). */
export function startController(host: ControllerHost, controller: Controller): () => void {
  const client = host.client(controller.name);
  const queue: WorkQueue = new WorkQueue(host.scheduler, (key) => controller.reconcile(key, { client, queue, scheduler: host.scheduler }), {
    onError: (key, error) => host.onError?.(controller.name, key, error),
  });
  const unsubscribe = host.onChange((change) => {
    for (const key of controller.keysFor(change, client)) queue.add(key);
  });
  for (const key of controller.initialKeys?.(client) ?? []) queue.add(key);
  return () => {
    unsubscribe();
    queue.stop();
  };
}
