/**
 * The emulator's controller platform (work queues, a typed client over its API layer, an
 * injected scheduler) under the names the lab's controllers use: `api.startController(controller)`
 * runs them.
 */
import type { Controller, KubeClient, KubeObject, ReconcileContext, ResourceClient, Scheduler, StoreChange } from "../kube-api/index.js";

export type ControllerLike = Controller;
export type KubeClientLike = KubeClient;
export type ResourceClientLike<T extends KubeObject = KubeObject> = ResourceClient<T>;
export type ReconcileContextLike = ReconcileContext;
export type SchedulerLike = Scheduler;
export type ChangeLike = StoreChange;

/** RFC 3339 without fractions, as the API server writes times. */
export const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, "Z");

/** The real controllers' periods and delays, shortened by the lab's --speed. */
export interface Timing {
  speed: number;
}
export const scaled = (timing: Timing, ms: number): number => Math.max(50, Math.round(ms / timing.speed));
