import { describe, expect, it } from "vitest";
import { ManualScheduler } from "../../../../src/lab/kube-api/controllers/scheduler.js";
import { WorkQueue } from "../../../../src/lab/kube-api/controllers/work-queue.js";

describe("WorkQueue", () => {
  it("processes later, not inside add, and a key queued twice once", () => {
    const scheduler = new ManualScheduler();
    const seen: string[] = [];
    const queue = new WorkQueue(scheduler, (key) => seen.push(key));
    queue.add("a");
    queue.add("b");
    queue.add("a");
    expect(seen).toEqual([]);
    scheduler.settle();
    expect(seen).toEqual(["a", "b"]);
  });

  it("retries a failing key with a doubling backoff until it succeeds", () => {
    const scheduler = new ManualScheduler();
    const attempts: number[] = [];
    const errors: string[] = [];
    const queue = new WorkQueue(
      scheduler,
      () => {
        attempts.push(scheduler.now().getTime());
        if (attempts.length < 4) throw new Error("not yet");
      },
      { retryBaseMs: 100, onError: (key, error) => errors.push(`${key}: ${(error as Error).message}`) },
    );
    const start = scheduler.now().getTime();
    queue.add("k");
    scheduler.advance(10_000);
    expect(attempts.map((t) => t - start)).toEqual([0, 100, 300, 700]);
    expect(errors).toEqual(["k: not yet", "k: not yet", "k: not yet"]);
  });

  it("brings a key back after a delay, the latest addAfter winning, and stops cleanly", () => {
    const scheduler = new ManualScheduler();
    const seen: number[] = [];
    const queue = new WorkQueue(scheduler, () => seen.push(scheduler.now().getTime()));
    const start = scheduler.now().getTime();
    queue.addAfter("k", 5_000);
    queue.addAfter("k", 2_000);
    scheduler.advance(10_000);
    expect(seen.map((t) => t - start)).toEqual([2_000]);
    queue.addAfter("k", 1_000);
    queue.stop();
    scheduler.advance(10_000);
    expect(seen).toHaveLength(1);
    expect(scheduler.size).toBe(0);
  });
});
