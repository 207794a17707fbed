/**
 * The emulator's controller platform (issue 11: work queues, a typed client over the API layer,
 * an injected scheduler) as the lab's controllers use it, described structurally so they are
 * written against its shape: `api.startController(controller)` runs them.
 */
import type { KubeObject } from "../kube-api/index.js";

export interface ResourceClientLike<T extends KubeObject = KubeObject> {
  get(name: string, namespace?: string): T;
  tryGet(name: string, namespace?: string): T | undefined;
  list(namespace?: string, options?: { labelSelector?: string; fieldSelector?: string }): T[];
  create(object: T): T;
  update(object: T): T;
  updateStatus(object: T): T;
  patch(name: string, namespace: string | undefined, patch: Record<string, unknown>, options?: { subresource?: "status" }): T;
  /** Server-side apply of a partial object this controller owns. */
  apply(object: Partial<T> & Pick<KubeObject, "metadata">, options?: { force?: boolean; subresource?: "status" }): T;
  delete(name: string, namespace?: string, options?: { gracePeriodSeconds?: number }): T;
}

export interface KubeClientLike {
  resource<T extends KubeObject = KubeObject>(apiVersion: string, kind: string): ResourceClientLike<T>;
}

export interface SchedulerLike {
  now(): Date;
  schedule(delayMs: number, task: () => void): () => void;
}

export interface ReconcileContextLike {
  client: KubeClientLike;
  queue: { add(key: string): void; addAfter(key: string, delayMs: number): void };
  scheduler: SchedulerLike;
}

export interface ChangeLike {
  type: "ADDED" | "MODIFIED" | "DELETED";
  resource: { group: string; resource: string };
  object: KubeObject;
  old?: KubeObject;
}

export interface ControllerLike {
  name: string;
  keysFor(change: ChangeLike, client: KubeClientLike): string[];
  initialKeys?(client: KubeClientLike): string[];
  reconcile(key: string, context: ReconcileContextLike): void;
}

/** RFC 3339 without fractions, as the API server writes times. */
export const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, "Z");

/** The real controllers' periods and delays, shortened by the lab's --speed. */
export interface Timing {
  speed: number;
}
export const scaled = (timing: Timing, ms: number): number => Math.max(50, Math.round(ms / timing.speed));
