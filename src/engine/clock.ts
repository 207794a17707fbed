import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "./ports.js";

/** Wall-clock time for real runs. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    if (ms > 0) await sleep(ms, undefined, signal ? { signal } : {});
  },
};
